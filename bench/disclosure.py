#!/usr/bin/env python3
"""Disclosure notices at township scale: build (content from the books and registers) and render (A4/A3 PDF) of
one village's notice and of a whole township's batch, against a bare ReportLab table of the same rows.

    python bench/disclosure.py                               # 30 villages x 2,000 vouchers a year
    python bench/disclosure.py --villages 3 --vouchers 300   # a quick run

The data generator below writes a township of villages whose books look like a real year: sub-accounts for
banks, counterparties and expense kinds, 2,000 posted vouchers per village (about 170 a month, a few summaries
naming an ID number), eleven closed months, a budget, 40 fixed-asset cards, 25 parcels and 15 contracts with
instalments and receipts per village. It is stored once in bench/out/disclosure/base-<villages>x<vouchers>-
<seed>.db (SQLite, reused while the arguments are the same); results go to results.md and results.json there.

Times are in-process, median of --repeat runs after one warm-up. The floor is a bare ReportLab LongTable of
every row the notice prints (already formatted strings, same embedded CJK font, A4, header repeated), with no
database, no sections, chart, QR code or page furniture: what any PDF of the same content must at least cost.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent)]
WORK = BENCH / "out" / "disclosure"
URL = "https://sanzi.example.gov.cn/verify/ABCDEFGHJKLMNPQR"
SUBS = [("102", "01", "农商银行基本户"), ("102", "02", "邮储银行专户"), ("501", "01", "土地发包收入"),
        ("501", "02", "厂房出租收入"), ("513", "01", "办公费"), ("513", "02", "差旅费"), ("513", "03", "村干部报酬"),
        ("211", "01", "村道施工队"), ("211", "02", "供电所"), ("211", "03", "建材商店")]
PEOPLE = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十", "刘一", "陈二"]
# (debit, credit, summary, low, high) in yuan; {who} a villager, {id} an ID number (masked on the notice)
TEMPLATES = [
    ("10201", "50101", "收到{who}土地承包费", 2000, 60000), ("10201", "50102", "收到厂房租金", 5000, 30000),
    ("10201", "503", "收到上级转移支付补助", 20000, 150000), ("101", "10201", "提取备用金", 1000, 5000),
    ("51301", "101", "购买办公用品", 50, 1500), ("51302", "101", "报销{who}差旅费", 100, 2000),
    ("514", "10201", "支付村道维修费", 3000, 50000), ("112{n}", "50101", "应收{who}承包费", 3000, 20000),
    ("10201", "112{n}", "收回{who}欠款", 1000, 20000), ("51303", "212", "计提村干部报酬", 8000, 15000),
    ("212", "10201", "发放村干部报酬", 8000, 15000), ("514", "10202", "支付村卫生保洁费", 500, 2000),
    ("515", "101", "支付其他零星支出", 20, 800), ("514", "21101", "村道工程应付款", 5000, 40000),
    ("21101", "10201", "支付村道施工队工程款", 5000, 40000), ("511", "21102", "应付电费", 300, 3000),
    ("21102", "10201", "支付电费", 300, 3000), ("514", "10201", "付{who}（身份证{id}）误工补贴", 200, 1500),
    ("10201", "504", "收到其他收入", 100, 5000), ("511", "10201", "支付经营支出", 500, 20000),
]
ASSET_CATS = ["房屋及建筑物", "机器设备", "运输工具", "农业基础设施", "办公设备"]
RTYPES = ["耕地", "林地", "水面", "四荒地", "建设用地"]


def timed(fn, repeat: int) -> tuple[float, list[float], float]:
    """Median wall seconds of fn() over repeat runs after one warm-up, every run, and the median CPU seconds
    (process time: on a shared machine it moves far less than the wall clock)."""
    fn()
    runs, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(runs), runs, statistics.median(cpu)


def _id_no(rnd: random.Random) -> str:
    """A made-up 18-digit resident ID."""
    return f"2201{rnd.randrange(10**13, 10**14)}"


def journal(villages, vouchers: int, year: int, rnd: random.Random):
    """A year of balanced two-line vouchers per village as a voucher-import table."""
    from threeassets.core.csvio import Table
    from threeassets.ledger.importer import COLUMNS
    rows = []
    for v in villages:
        rows += _pair(v.code, f"{year}-01-01", f"{v.code}-0", "期初建账：村集体资本", "10201", "301", Decimal(900000))
        days = sorted(rnd.randrange(0, 365) for _ in range(vouchers - 1))
        for i, offset in enumerate(days, 1):
            day = date.fromordinal(date(year, 1, 1).toordinal() + offset)
            dr, cr, summary, lo, hi = rnd.choice(TEMPLATES)
            n = f"{rnd.randrange(1, len(PEOPLE) + 1):02d}"
            text = summary.format(who=rnd.choice(PEOPLE), id=_id_no(rnd))
            amount = Decimal(rnd.randrange(lo * 100, hi * 100)) / 100
            rows += _pair(v.code, day.isoformat(), f"{v.code}-{i}", text, dr.format(n=n), cr.format(n=n), amount)
    return Table("bench.csv", COLUMNS, list(enumerate(rows, start=2)))


def _pair(org: str, day: str, ref: str, summary: str, dr: str, cr: str, amount: Decimal) -> list[dict]:
    """The two import lines of a simple voucher."""
    from threeassets.ledger.importer import COLUMNS
    text = f"{amount:.2f}"
    return [dict(zip(COLUMNS, [org, day, ref, summary, dr, text, ""], strict=True)),
            dict(zip(COLUMNS, [org, day, ref, summary, cr, "", text], strict=True))]


def charts(session, villages) -> None:
    """The sub-accounts every generated village uses (banks, counterparties, expense kinds)."""
    from sqlalchemy import select

    from threeassets.ledger.chart import add_sub_account
    from threeassets.ledger.models import Account
    subs = SUBS + [("112", f"{i:02d}", name) for i, name in enumerate(PEOPLE, 1)]
    for v in villages:
        parents = {a.code: a for a in session.scalars(select(Account).where(Account.village_id == v.id))}
        for code, suffix, name in subs:
            add_sub_account(session, village_id=v.id, parent=parents[code], suffix=suffix, name=name, actor=None)


def registers(session, village, year: int, rnd: random.Random) -> None:
    """40 cards (one disposed in June), 25 parcels, 15 contracts of 5 yearly instalments with receipts."""
    from threeassets.assets.models import Asset, AssetChange
    from threeassets.contracts.models import Contract, Installment, Receipt
    from threeassets.resources.models import Resource
    D = Decimal
    for i in range(40):
        cost = D(rnd.randrange(5000, 800000))
        session.add(Asset(village_id=village.id, code=f"ZC{i:03d}", name=f"资产{i:03d}", category=ASSET_CATS[i % 5],
                          acquired_on=date(year - 1 - i % 9, 1 + i % 12, 1), original_cost=cost,
                          useful_life_months=240, accumulated_depreciation=(cost * D("0.3")).quantize(D("0.01")),
                          status="disposed" if i == 39 else "in_use"))
    session.flush()
    gone = session.query(Asset).filter_by(village_id=village.id, code="ZC039").one()
    session.add(AssetChange(village_id=village.id, asset_id=gone.id, kind="disposal", ym=year * 100 + 6,
                            on=date(year, 6, 18), method="auction", proceeds=D("3000.00"), counterparty="李四"))
    for i in range(25):
        session.add(Resource(village_id=village.id, code=f"ZY{i:03d}", name=f"地块{i:03d}", rtype=RTYPES[i % 5],
                             area_mu=D(rnd.randrange(100, 50000)) / 100, status="let" if i % 3 else "unlet"))
    for i in range(15):
        price = D(rnd.randrange(10000, 200000))
        c = Contract(village_id=village.id, code=f"HT{year}{i:03d}", title=f"地块{i:03d}发包", kind="contracting",
                     party_type="person", party_name=PEOPLE[i % 10], party_id_no=_id_no(rnd), award_method="bidding",
                     signed_on=date(year - 2, 12, 1), starts_on=date(year - 2, 1, 1), ends_on=date(year + 2, 12, 31),
                     total_price=price)
        session.add(c)
        session.flush()
        for seq in range(1, 6):
            due = date(year - 3 + seq, 6, 30)
            inst = Installment(village_id=village.id, contract_id=c.id, seq=seq, due_on=due, amount=price / 5)
            session.add(inst)
            session.flush()
            if due.year <= year and (seq < 3 or i % 4):
                session.add(Receipt(village_id=village.id, contract_id=c.id, installment_id=inst.id, kind="payment",
                                    received_on=due, amount=price / 5))


def build_base(path: Path, villages: int, vouchers: int, year: int, seed: int) -> None:
    """Generate the township into a fresh SQLite file (migrated, books posted and closed to November)."""
    from sqlalchemy.orm import Session

    from threeassets.budgets.rules import Entry
    from threeassets.budgets.service import set_budgets
    from threeassets.closing.service import close_period
    from threeassets.core.db import make_engine
    from threeassets.core.migrate import upgrade
    from threeassets.ledger.importer import import_vouchers
    from threeassets.orgs.service import upsert_township, upsert_village
    rnd = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine)
    with Session(engine) as session:
        t = upsert_township(session, "T001", "示范镇")
        vs = [upsert_village(session, t, f"V{i:03d}", f"第{i + 1}村") for i in range(villages)]
        charts(session, vs)
        import_vouchers(session, journal(vs, vouchers, year, rnd), post=True)
        for v in vs:
            registers(session, v, year, rnd)
            set_budgets(session, village=v, year=year, actor=None, entries=[
                Entry("501", Decimal(600000)), Entry("503", Decimal(900000)), Entry("513", Decimal(300000)),
                Entry("514", Decimal(800000))])
            for month in range(1, 12):
                close_period(session, v, year * 100 + month, None)
        session.commit()
    engine.dispose()
    tmp.rename(path)


def floor_rows(data: dict) -> list[list[str]]:
    """Every table row the notice prints, as formatted strings in five columns (what the floor lays out)."""
    from threeassets.core.money import fmt

    def a(x):
        return fmt(Decimal(x)) if x not in (None, "") else ""
    rows = [[r["name"], a(r["opening"]), a(r["debit"]), a(r["credit"]), a(r["closing"])] for r in data["cash"]["rows"]]
    for sec in ("income", "expense"):
        rows += [[i["date"], i["voucher"], i["summary"], i["account"], a(i["amount"])] for i in data[sec]["items"]]
    rows += [[r["section"], r["name"], a(r["budget"]), a(r["actual"]), r["pct"]] for r in data["plan"]["rows"]]
    rows += [[r["category"], str(r["count"]), a(r["cost"]), a(r["depreciation"]), a(r["net"])]
             for r in data["assets"]["by_category"]]
    rows += [[c["date"], c["asset"], c["kind"], a(c["amount"]), c["detail"]] for c in data["assets"]["changes"]]
    rows += [[r["type"], str(r["count"]), a(r["area"]), a(r["let_area"]), ""] for r in data["resources"]["by_type"]]
    rows += [[c["title"], f"{c['party']} {c['party_id']}", a(c["received"]), a(c["due"]), a(c["overdue"])]
             for c in data["contracts"]["rows"]]
    for kind in ("receivable", "payable"):
        rows += [[r["account"], r["counterparty"], a(r["opening"]), a(r["increase"]), a(r["closing"])]
                 for r in data["debts"][kind]["rows"]]
    rows += [[ln["item"], a(ln["values"][0]), a(ln["values"][1]), "", ""] for ln in data["distribution"]["lines"]
             if ln["values"]]
    return rows


def floor_pdf(rows: list[list[str]], font: str | None = None) -> bytes:
    """The floor: one bare LongTable of the rows, CJK font embedded, header repeated, A4. font: a font already
    registered with ReportLab (bench/startup.py's floor, which imports nothing of the app), else the app's."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import LongTable, SimpleDocTemplate, TableStyle

    if font is None:
        from threeassets.core.pdf import cjk_font
        font = cjk_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    t = LongTable([["A", "B", "C", "D", "E"]] + rows, repeatRows=1, colWidths=[70, 70, 170, 110, 80])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 11), ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]))
    doc.build([t])
    return buf.getvalue()


def measure(session, villages, period: str, repeat: int) -> list[dict]:
    """Time build, render A4/A3 and the floor for one village, then the township batch (build + render each)."""
    from threeassets.disclosure.content import build_notice
    from threeassets.disclosure.pdf import render_notice
    one = villages[0]
    data = build_notice(session, one, period)
    rows = floor_rows(data)
    out = []

    def add(key, what, fn, n=1):
        median, runs, cpu = timed(fn, repeat)
        out.append({"key": key, "what": what, "period": period, "rows": len(rows) if n == 1 else None,
                    "seconds": median, "cpu": cpu, "runs": runs})
    add("build", "build one notice (queries → data)", lambda: build_notice(session, one, period))
    add("a4", "render A4", lambda: render_notice(data, layout="a4", verify_url=URL))
    add("a3", "render A3", lambda: render_notice(data, layout="a3", verify_url=URL))
    add("floor", "floor: bare ReportLab table of the same rows", lambda: floor_pdf(rows))
    batch_rows = [floor_rows(build_notice(session, v, period)) for v in villages]

    def batch():
        for v in villages:
            render_notice(build_notice(session, v, period), layout="a4", verify_url=URL)
    add("batch", f"township batch: build + render A4 × {len(villages)}", batch, len(villages))
    add("batch_floor", f"floor × {len(villages)} (each village's rows)", lambda: [floor_pdf(r) for r in batch_rows],
        len(villages))
    out[-2]["rows"] = out[-1]["rows"] = sum(len(r) for r in batch_rows)
    return out


def report(results: list[dict], args) -> str:
    """The results as a Markdown table with ratios to the floor."""
    lines = [f"{args.villages} villages × {args.vouchers} vouchers, year {args.year}, median of {args.repeat} runs",
             "", "| period | what | rows | wall s (median) | CPU s (median) | wall runs |",
             "|---|---|---:|---:|---:|---|"]
    for r in results:
        runs = ", ".join(f"{x:.3f}" for x in r["runs"])
        lines.append(f"| {r['period']} | {r['what']} | {r['rows']} | {r['seconds']:.3f} | {r['cpu']:.3f} | {runs} |")
    lines += ["", "| period | ratio | wall | CPU |", "|---|---|---:|---:|"]
    for period in dict.fromkeys(r["period"] for r in results):
        w = {r["key"]: r["seconds"] for r in results if r["period"] == period}
        c = {r["key"]: r["cpu"] for r in results if r["period"] == period}
        for label, num, den in (("one notice (build + A4) / floor", ("build", "a4"), "floor"),
                                ("A3 render / floor", ("a3",), "floor"),
                                ("township batch / its floor", ("batch",), "batch_floor")):
            lines.append(f"| {period} | {label} | {sum(w[k] for k in num) / w[den]:.1f}× "
                         f"| {sum(c[k] for k in num) / c[den]:.1f}× |")
    return "\n".join(lines)


def main() -> None:
    """Generate (once) and measure."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--villages", type=int, default=30)
    p.add_argument("--vouchers", type=int, default=2000)
    p.add_argument("--year", type=int, default=2024)
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    base = WORK / f"base-{args.villages}x{args.vouchers}-{args.year}-{args.seed}.db"
    if not base.exists():
        t = time.perf_counter()
        build_base(base, args.villages, args.vouchers, args.year, args.seed)
        print(f"generated {base.name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    import threeassets.models_registry  # noqa: F401
    from threeassets.core.db import make_engine
    from threeassets.orgs.models import Village
    engine = make_engine(f"sqlite:///{base}")
    with Session(engine) as session:
        villages = list(session.scalars(select(Village).order_by(Village.code)))
        results = []
        for period in (f"{args.year}-06", f"{args.year}-Q2"):
            results += measure(session, villages, period, args.repeat)
    text = report(results, args)
    (WORK / "results.md").write_text(text + "\n", encoding="utf-8")
    (WORK / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
