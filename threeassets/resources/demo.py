"""Demo data of the resources feature: each demo village's land, forest and water parcels."""
from __future__ import annotations

from decimal import Decimal

from threeassets.resources import service

# code, name, type, location, area (亩), east, south, west, north, certificate, status
PARCELS = [
    ("GD-001", "村东一组承包地", "耕地", "一组村东", "35.60", "村道", "水渠", "王家田", "防护林", "JT-GD-01", "unlet"),
    ("GD-002", "村西二组承包地", "耕地", "二组村西", "28.40", "晒场", "机耕路", "邻村界", "水渠", "JT-GD-02", "unlet"),
    ("GD-003", "北洼机动地", "耕地", "村北洼地", "12.75", "排水沟", "村北路", "三组责任田", "河堤", "", "unlet"),
    ("LD-001", "后山集体林", "林地", "后山", "120.00", "山脊", "山脚路", "国有林场", "邻村林地", "LQ-088", "unlet"),
    ("SM-001", "南塘鱼塘", "水面", "村南", "15.00", "河堤", "农田", "机耕路", "村部", "", "unlet"),
    ("YD-001", "村北果园", "园地", "村北", "18.50", "村道", "苗圃", "水塘", "山脚", "", "unlet"),
    ("SH-001", "东岗荒坡", "四荒地", "东岗", "42.00", "山沟", "东岗路", "集体林", "荒坡", "", "unlet"),
    ("CD-001", "河滩草地", "草地", "河湾", "9.80", "河道", "堤坝", "芦苇滩", "河湾路", "", "other"),
    ("JS-001", "老村部闲置地", "建设用地", "村中心", "3.20", "小学", "主街", "卫生室", "民房", "JJ-015", "self_used"),
]
KEYS = ("code", "name", "rtype", "location", "area_mu", "east", "south", "west", "north", "certificate_no", "status")


def load(session, township, villages, users, today) -> None:
    """Add the parcels to every demo village (areas vary a little by village); contracts then let some."""
    for n, village in enumerate(villages):
        scale = Decimal(100 - 7 * n) / 100
        for row in PARCELS:
            data = dict(zip(KEYS, row, strict=True))
            data["area_mu"] = str((Decimal(data["area_mu"]) * scale).quantize(Decimal("0.01")))
            service.create(session, village=village, data=data, actor=users["kuaiji"])
