"""Pure rules of the annual report's texts: the hand-typed 行政复议/行政诉讼 figures, and what finalising needs."""
from __future__ import annotations

from threeassets.core.errors import RuleError
from threeassets.core.periods import typed

PARTS = {"review": "行政复议", "suit_direct": "未经复议直接起诉", "suit_after_review": "复议后起诉"}
OUTCOMES = {"kept": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}
TEXT_LIMIT = 20_000  # characters per text field
YEAR_MIN, YEAR_MAX = 2000, 2100


def review_figures(typed_values: dict[str, str]) -> dict[str, dict[str, int]]:
    """The review table from fields named '<part>.<outcome>' (full-width digits read; blank is 0); each part's
    总计 is the sum of its four outcomes. RuleError naming every bad field."""
    out: dict[str, dict[str, int]] = {}
    problems: dict[str, str] = {}
    for part in PARTS:
        row = {}
        for outcome in OUTCOMES:
            name = f"{part}.{outcome}"
            text = typed(typed_values.get(name, "")) or "0"
            if not text.isascii() or not text.isdigit() or len(text) > 5:
                problems[name] = "请填写0至99999的整数"
                continue
            row[outcome] = int(text)
        row["total"] = sum(row.values())
        out[part] = row
    if problems:
        raise RuleError("行政复议、行政诉讼情况有数字填写不正确", fields=problems)
    return out


def check_texts(overview: str, problems: str, plans: str, other: str) -> tuple[str, str, str, str]:
    """The four texts, trimmed; RuleError naming the too-long ones."""
    values = {"overview": overview, "problems": problems, "plans": plans, "other": other}
    too_long = {k: f"不能超过{TEXT_LIMIT}字" for k, v in values.items() if len(v or "") > TEXT_LIMIT}
    if too_long:
        raise RuleError("有内容超过长度限制", fields=too_long)
    return tuple((v or "").strip() for v in values.values())


def finalise_refusal(status: str, problems: str, plans: str) -> RuleError | None:
    """Why the report cannot be finalised now (None: it can)."""
    if status == "final":
        return RuleError("报告已定稿")
    missing = {k: "定稿前请填写" for k, v in (("problems", problems), ("plans", plans)) if not v.strip()}
    if missing:
        return RuleError("定稿前请填写“存在的主要问题”和“改进情况和下一年度工作计划”", fields=missing)
    return None


def check_year(year: int | None) -> int:
    """A report year, else RuleError."""
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise RuleError(f"年度应在{YEAR_MIN}至{YEAR_MAX}之间", fields={"year": "年度不正确"})
    return year
