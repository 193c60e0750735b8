"""The layers of the code, checked on its syntax trees (docs/architecture.md draws them):

* every import between packages goes down the layers (so there are no cycles), core knows no feature;
* rules.py modules, and everything they import, use neither Flask nor SQLAlchemy;
* only ledger/posting.py and ledger/bulk_posting.py number, chain or post a voucher.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "threeassets"

# Lower tiers first; a package may import packages of lower tiers only (and itself). The top-level modules
# (create_app, the console script, the feature list, the model registry) compose everything.
TIERS = [
    {"config", "features"},  # settings from the environment; the feature list (names only, imports nothing)
    {"core", "extensions"},  # infrastructure: knows no feature
    {"orgs"},  # townships and villages
    {"auth"},  # users, roles, scopes, access, admin pages
    {"attachments", "decisions"},
    {"settings"},
    {"ledger"},  # the books: the one write path into them
    {"closing"},
    {"reports"},
    {"statements", "budgets", "switchover", "dashboard"},
    {"assets", "resources", "subsidies"},  # the registers; households and subsidy payments
    {"contracts"},
    {"windows"},  # the service hall
    {"claims", "alerts", "disclosure", "inforequests"},  # inforequests: 依申请公开, a flow of its own at the hall
    {"kiosk"},  # the public touch screen: reads the services below it
    {"county"},  # the county's view (县农经站): every township's figures, read from everything below it
    {"annualreport"},  # the yearly work report: reads everything below it
    {"demo"},
    {"models_registry"}, {"__init__"}, {"cli"},  # composition: every model; create_app; the console script
]
TIER = {name: n for n, names in enumerate(TIERS) for name in names}
WEB_OR_DB = ("flask", "flask_login", "flask_wtf", "werkzeug", "wtforms", "sqlalchemy")
POSTING = {"ledger/posting.py", "ledger/bulk_posting.py"}


def _modules() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def _package(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module an import statement names (at any depth: a lazy import counts), with its line."""
    out = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module, node.lineno))
            if node.module == "threeassets":
                out += [(f"threeassets.{a.name}", node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
    return out


def _target(module: str) -> str | None:
    """The package a threeassets import lands in (None for other libraries); `from threeassets import
    create_app` lands in threeassets/__init__.py."""
    parts = module.split(".")
    if parts[0] != "threeassets" or len(parts) == 1:
        return None
    known = (ROOT / parts[1]).is_dir() or (ROOT / f"{parts[1]}.py").exists()
    return parts[1] if known else "__init__"


def test_every_package_has_a_tier():
    packages = {_package(p) for p in _modules()}
    assert packages <= set(TIER), f"add to TIERS (and docs/architecture.md): {sorted(packages - set(TIER))}"


def test_imports_go_down_the_tiers():
    wrong = []
    for path in _modules():
        source = _package(path)
        for module, line in _imports(path):
            target = _target(module)
            if target and target != source and TIER.get(target, 99) >= TIER[source]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module} ({source} → {target})")
    assert not wrong, "\n".join(wrong)


def test_core_imports_no_feature():
    wrong = [f"{p.relative_to(ROOT)}:{line} {m}" for p in (ROOT / "core").rglob("*.py")
             for m, line in _imports(p) if _target(m) not in (None, "core", "config")]
    assert not wrong, wrong


def _module_file(module: str) -> Path | None:
    rel = Path(*module.split(".")[1:])
    for candidate in (ROOT / rel.with_suffix(".py"), ROOT / rel / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


RULES = sorted(ROOT.glob("*/rules.py"))


@pytest.mark.parametrize("rules", RULES, ids=[str(p.relative_to(ROOT)) for p in RULES])
def test_rules_are_pure(rules):
    """A rules module, and every project module it reaches, imports neither the web nor the database."""
    seen, todo, wrong = set(), [rules], []
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for module, line in _imports(path):
            if module.split(".")[0] in WEB_OR_DB:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
            elif _target(module) and (found := _module_file(module)) is not None:
                todo.append(found)
    assert not wrong, wrong


def _src(node: ast.AST) -> str:
    """The node as source; ast.unparse cannot write some f-strings (a backslash in a 3.11 expression part), and
    such an expression is no posting write, so it is named by its dump."""
    try:
        return ast.unparse(node)
    except ValueError:
        return ast.dump(node)


def _posting_writes(tree: ast.AST) -> list[tuple[int, str]]:
    """Places that number, chain or post a voucher: assigning its number, hash, chain link, poster or posted
    state; SQL that inserts or updates voucher rows; an ORM update of Voucher."""
    found = []
    chain_fields = {"hash", "prev_hash", "chain_seq", "poster_id", "posted_at"}
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(t, ast.Attribute):
                    owner = _src(t.value).lower()
                    if t.attr in chain_fields or (t.attr == "number" and "voucher" in owner):
                        found.append((node.lineno, _src(t)))
        if isinstance(node, ast.Assign | ast.keyword):
            value, name = node.value, (node.arg if isinstance(node, ast.keyword) else "")
            text = _src(value)
            is_status = name == "status" or (isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "status" for t in node.targets))
            if is_status and ("VoucherStatus.POSTED" in text or text == "'posted'"):
                found.append((node.lineno, f"status = {text}"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.upper().split())
            if "INSERT INTO VOUCHER " in sql or "UPDATE VOUCHER " in sql:
                found.append((node.lineno, node.value[:40]))
        if isinstance(node, ast.Call) and _src(node.func) == "update" and node.args \
                and _src(node.args[0]) == "Voucher":
            found.append((node.lineno, _src(node)[:40]))
    return found


def test_only_ledger_posting_numbers_chains_or_posts_vouchers():
    wrong = [f"{p.relative_to(ROOT)}:{line} {what}" for p in _modules()
             if str(p.relative_to(ROOT)) not in POSTING for line, what in _posting_writes(_tree(p))]
    assert not wrong, "\n".join(wrong)
    assert all(_posting_writes(_tree(ROOT / f)) for f in POSTING)  # the check sees the real writers


@pytest.mark.parametrize("snippet", [
    "voucher.hash = h", "v.prev_hash, v.chain_seq = a, b", "voucher.number = 7",
    "red.status = VoucherStatus.POSTED", "Voucher(status=VoucherStatus.POSTED)", "x.status = 'posted'",
    "conn.execute('insert into voucher (id) values (1)')", "session.execute(update(Voucher).values(number=1))",
])
def test_the_posting_check_catches(snippet):
    assert _posting_writes(ast.parse(snippet))


@pytest.mark.parametrize("snippet", ["claim.number = 3", "case.number = n", "notice.status = 'published'",
                                     "sql = 'INSERT INTO voucher_line (id) VALUES (1)'"])
def test_the_posting_check_lets_other_records_be(snippet):
    assert not _posting_writes(ast.parse(snippet))
