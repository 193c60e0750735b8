"""Access table rows of the resources register (village pages and the township summary)."""
from __future__ import annotations

import io

from tests.web.access_base import PREPARERS, READERS, TOWNSHIP_READERS, T, V, import_job, r


def make_resource(session, world, village, ctx) -> int:
    """A fresh resource of the village; its code is kept in ctx for the edit form."""
    from threeassets.core.db import transaction
    from threeassets.resources.service import create
    ctx["serial"] += 1
    code = f"R{ctx['serial']}"
    with transaction(session):
        res = create(session, village=village, data={"code": code, "name": "测试地块", "rtype": "耕地",
                                                      "area_mu": "10.00"}, actor=None)
        rid = res.id
    session.expunge_all()
    ctx["resource_code"] = code
    return rid


def _new(ctx):
    ctx["serial"] += 1
    return {"code": f"N{ctx['serial']}", "name": "新地块", "rtype": "林地", "area_mu": "5.5", "status": "unlet"}


def _edit(ctx):
    return {"code": ctx.get("resource_code", "R0"), "name": "改名地块", "rtype": "耕地", "area_mu": "9.99",
            "status": "self_used"}


def _file(ctx):
    ctx["serial"] += 1
    body = ("org_code,resource_code,name,type,location,area_mu,east,south,west,north,certificate_no,status\n"
            f"A1,F{ctx['serial']},文件地块,水面,村南,3.00,,,,,,\n")
    return {"file": (io.BytesIO(body.encode()), "resources.csv")}


NEEDS = {"resource": make_resource, "resources_import": import_job("import.resources")}
ROUTES = [
    r("resources.index", "GET", READERS, V),
    r("resources.export", "GET", READERS, V),
    r("resources.summary", "GET", READERS, V),
    r("resources.new", "GET", PREPARERS, V),
    r("resources.create", "POST", PREPARERS, V, data=_new),
    r("resources.show", "GET", READERS, V, "resource", "resource_id"),
    r("resources.edit", "GET", PREPARERS, V, "resource", "resource_id"),
    r("resources.update", "POST", PREPARERS, V, "resource", "resource_id", _edit),
    r("resources.import_form", "GET", PREPARERS, V),
    r("resources.import_file", "POST", PREPARERS, V, data=_file),
    r("resources.import_job", "GET", PREPARERS, V, "resources_import", "job_id"),
    r("resources.import_job_status", "GET", PREPARERS, V, "resources_import", "job_id"),
    r("resources.template", "GET", PREPARERS, V),
    r("resources_township.township_summary", "GET", TOWNSHIP_READERS, T),
]
