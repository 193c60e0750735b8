"""Pure ledger rules: voucher states, line validation, periods and the hash chain. No database here."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from threeassets.core.errors import RuleError
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.parse import too_long
from threeassets.core.periods import ym_label
from threeassets.core.workflow import Workflow, permitted

SUMMARY_MAX = 200
ZERO = Decimal("0")


class VoucherStatus(StrEnum):
    """The states of a voucher."""

    DRAFT = "draft"
    REVIEWED = "reviewed"
    POSTED = "posted"


STATUS_LABELS = {VoucherStatus.DRAFT: "待审核", VoucherStatus.REVIEWED: "已审核", VoucherStatus.POSTED: "已记账"}

# (state, action) → next state; anything missing is illegal. "reverse" leaves the original posted.
TRANSITIONS: dict[tuple[str, str], str | None] = {
    (VoucherStatus.DRAFT, "edit"): VoucherStatus.DRAFT,
    (VoucherStatus.DRAFT, "delete"): None,
    (VoucherStatus.DRAFT, "review"): VoucherStatus.REVIEWED,
    (VoucherStatus.DRAFT, "send_back"): VoucherStatus.DRAFT,  # 退回（标错）: the preparer sees why
    (VoucherStatus.REVIEWED, "unreview"): VoucherStatus.DRAFT,
    (VoucherStatus.REVIEWED, "post"): VoucherStatus.POSTED,
    (VoucherStatus.POSTED, "reverse"): VoucherStatus.POSTED,
}
ACTIONS = ("edit", "delete", "review", "send_back", "unreview", "post", "reverse")
ACTION_LABELS = {"edit": "修改", "delete": "删除", "review": "审核", "send_back": "退回制单人", "unreview": "取消审核",
                 "post": "记账", "reverse": "红字冲销"}
SEND_BACK_MAX = 200  # characters of a reason


class LedgerError(RuleError):
    """A rule of the books was broken; the message is shown to the user as is."""


VOUCHER_FLOW = Workflow(TRANSITIONS, "凭证{state}，不能{action}", STATUS_LABELS, ACTION_LABELS)
# The permission (auth.rules.PERMISSIONS) each action needs.
ACTION_PERMISSION = {"edit": "voucher.prepare", "delete": "voucher.prepare", "review": "voucher.review",
                     "send_back": "voucher.review", "unreview": "voucher.review", "post": "voucher.post",
                     "reverse": "voucher.reverse"}


@dataclass(frozen=True)
class VoucherFacts:
    """What the rules of who may do what to a voucher need to know about it."""

    status: str
    prepared_by: frozenset[int] = frozenset()  # whoever prepared or edited it (制单 is the last of them)
    is_reversal: bool = False  # a red voucher made by 红字冲销
    reversed: bool = False  # already reversed by another voucher
    unprepared: bool = False  # a draft the system wrote (from a claim) that no accountant has completed yet


# Four eyes: whoever prepared or edited a voucher neither reviews nor posts it — the head included.
FOUR_EYES = {"review": "审核人不能是制单人（包括修改过这张凭证的人）",
             "send_back": "不能退回自己制单的凭证（可直接修改）",
             "post": "记账人不能是制单人（包括修改过这张凭证的人）"}


def send_back_problem(reason: str | None) -> str | None:
    """A send-back must say what is wrong, briefly."""
    text = (reason or "").strip()
    if not text:
        return "请写明退回理由（哪一行、哪里不对）"
    return too_long(text, SEND_BACK_MAX, "退回理由")


CASH = "101"  # 库存现金


def future_date_problem(day: date, today: date) -> str | None:
    """A voucher dated after today (a typing slip more often than not)."""
    return f"凭证日期 {day.isoformat()} 晚于今天（{today.isoformat()}），请核对" if day > today else None


def cash_deficit_problem(balance: Decimal) -> str | None:
    """Cash on hand can never be negative: a credit balance means an entry is missing or wrong (现金赤字)."""
    if balance >= 0:
        return None
    return f"库存现金出现贷方余额 {-balance:,.2f} 元（现金赤字），请核对本月现金收支"


TO_COMPLETE = "complete:"  # source_ref of a draft the system wrote for an accountant to complete
UNPREPARED = "这张凭证由报账单自动生成，须由代理会计核对、保存（成为制单人）后才能审核"


def voucher_refusal(facts: VoucherFacts, action: str, actor_id: int | None) -> str | None:
    """Why this person may not take the action on the voucher (its state, four eyes, reversal rules); None when
    the rules allow it. The services refuse with this sentence; the pages offer only what it allows."""
    if why := VOUCHER_FLOW.why_not(facts.status, action):
        return why
    if action in FOUR_EYES and actor_id is not None and actor_id in facts.prepared_by:
        return FOUR_EYES[action]
    if action == "review" and facts.unprepared:
        return UNPREPARED
    if action == "edit" and facts.is_reversal:
        return "红字冲销凭证由系统生成，不能修改；如有误请删除后重新冲销"
    if action == "reverse" and facts.reversed:
        return "该凭证已被冲销，不能重复冲销"
    if action == "reverse" and facts.is_reversal:
        return "冲销凭证不能再被冲销；如需更正请重新录入"
    return None


def voucher_actions(facts: VoucherFacts, actor_id: int | None, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on the voucher, in ACTIONS order."""
    return permitted(ACTIONS, permissions, ACTION_PERMISSION, lambda a: voucher_refusal(facts, a, actor_id))


def four_eyes_withheld(facts: VoucherFacts, actor_id: int | None, permissions: Collection[str]) -> list[str]:
    """Why the page offers this person no 审核 or 记账 the voucher's state would allow and their role holds: they
    prepared or edited it (said, so that a missing button does not look like a fault)."""
    return [FOUR_EYES[a] for a in ("review", "post")
            if ACTION_PERMISSION[a] in permissions and not VOUCHER_FLOW.why_not(facts.status, a)
            and voucher_refusal(facts, a, actor_id) == FOUR_EYES[a]]


class VoucherInvalid(LedgerError):
    """A voucher's content breaks the rules; carries the per-field problems for the form."""

    def __init__(self, problems: Problems):
        super().__init__("；".join(problems.messages()))
        self.problems = problems


@dataclass
class LineInput:
    """One typed voucher line before it touches the database."""

    summary: str
    account_code: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


@dataclass
class Problems:
    """Errors found in a voucher: per line and field, plus voucher-wide messages."""

    fields: dict[tuple[int, str], str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, line: int | None, fld: str, message: str) -> None:
        """Record an error for a line's field (line None: the voucher as a whole)."""
        if line is None:
            self.general.append(message)
        else:
            self.fields.setdefault((line, fld), message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def messages(self) -> list[str]:
        """All errors as sentences, line numbers counted from 1."""
        out = [f"第{i + 1}行{FIELD_LABELS.get(f, f)}：{m}" for (i, f), m in sorted(self.fields.items())]
        return out + self.general


FIELD_LABELS = {"summary": "摘要", "account": "科目", "debit": "借方金额", "credit": "贷方金额",
                "amount": "金额", "date": "日期"}


# The rules of a voucher's lines, worded once: the entry form, the services, posting and the bulk importer all
# take their reasons from here (the importer adds where: file, line, column, voucher).
MAX_LINES = 200  # lines per voucher; a longer one is split by the clerk, never cut


def amount_problem(text: str | None, *, allow_negative: bool = False) -> tuple[Decimal | None, str | None]:
    """A typed amount as (value, None) (blank is 0) or (None, why it is not an amount)."""
    try:
        return parse_amount(text, allow_negative=allow_negative) or ZERO, None
    except AmountError as exc:
        return None, str(exc)


def line_problems(summary: str, code: str, debit: Decimal | None, credit: Decimal | None, *,
                  allow_negative: bool = False) -> dict[str, str]:
    """What is wrong with one line, by field (summary, account, amount); None amounts were already refused."""
    out = {}
    if not summary:
        out["summary"] = "请填写摘要"
    elif len(summary) > SUMMARY_MAX:
        out["summary"] = f"摘要最多{SUMMARY_MAX}字"
    if not code:
        out["account"] = "请填写科目"
    if debit is None or credit is None:
        return out
    if not allow_negative and (debit < 0 or credit < 0):
        out["amount"] = "金额不能为负数（红字冲销请用冲销功能）"
    elif debit and credit:
        out["amount"] = "一行只能填借方或贷方之一"
    elif not debit and not credit:
        out["amount"] = "请填写借方或贷方金额"
    return out


def account_problem(code: str, exists: bool, leaf: bool) -> str | None:
    """Why a line may not use this account code: unknown, or not a leaf (only leaves take entries)."""
    if not exists:
        return f"科目“{code}”不存在"
    if not leaf:
        return f"科目“{code}”不是末级科目，请选择其下级明细科目"
    return None


def count_problem(count: int, limit: bool = True) -> str | None:
    """A voucher needs two lines at least and MAX_LINES at most (limit=False: a voucher the system makes,
    one line per account, such as a year-end carry or opening balances)."""
    if count < 2:
        return "凭证至少需要两行分录"
    if limit and count > MAX_LINES:
        return f"一张凭证最多{MAX_LINES}行分录，请分成几张凭证录入"
    return None


def balance_problems(debit: Decimal, credit: Decimal, *, reversal: bool = False) -> list[str]:
    """Debits must equal credits, and the total be above zero (below for a reversal, whose amounts are red)."""
    out = []
    if debit != credit:
        out.append(f"借贷不平衡：借方合计 {debit:,.2f}，贷方合计 {credit:,.2f}，差额 {debit - credit:,.2f}")
    if reversal and debit >= 0:
        out.append("红字冲销凭证的合计应为负数")
    if not reversal and debit <= 0:
        out.append("凭证合计金额必须大于零")
    return out


def totals_problems(count: int, debit: Decimal, credit: Decimal, *, reversal: bool = False,
                    limit: bool = True) -> list[str]:
    """The voucher as a whole: its number of lines (count_problem), then its totals (balance_problems)."""
    out = [why] if (why := count_problem(count, limit)) else []
    return out + (balance_problems(debit, credit, reversal=reversal) if count else [])


def parse_line(raw: dict, idx: int, problems: Problems, allow_negative: bool = False) -> LineInput | None:
    """Turn one raw line (strings from a form) into a LineInput, noting each bad field; a blank row is None."""
    summary = (raw.get("summary") or "").strip()
    code = (raw.get("account") or "").strip()
    amounts = {}
    for side in ("debit", "credit"):
        amounts[side], why = amount_problem(raw.get(side), allow_negative=allow_negative)
        if why:
            problems.add(idx, side, why)
    if not summary and not code and amounts["debit"] == ZERO and amounts["credit"] == ZERO:
        return None  # an empty row is ignored
    for fld, why in line_problems(summary, code, amounts["debit"], amounts["credit"],
                                  allow_negative=allow_negative).items():
        problems.add(idx, fld, why)
    if None in amounts.values():
        return LineInput(summary, code)
    return LineInput(summary, code, amounts["debit"], amounts["credit"])


def check_balance(lines: list[LineInput], problems: Problems, reversal: bool = False, limit: bool = True) -> Decimal:
    """Check the voucher as a whole (totals_problems); returns the total."""
    debit = sum((ln.debit for ln in lines), ZERO)
    credit = sum((ln.credit for ln in lines), ZERO)
    for why in totals_problems(len(lines), debit, credit, reversal=reversal, limit=limit):
        problems.add(None, "lines", why)
    return debit


def check_voucher(lines: list[LineInput], problems: Problems | None = None, *, reversal: bool = False,
                  limit: bool = True) -> Problems:
    """Every rule of a voucher whose amounts are already numbers (a draft being saved or posted, a generated
    voucher): each line, then the whole; adds to `problems` (or a new Problems) and returns it."""
    problems = Problems() if problems is None else problems
    for idx, ln in enumerate(lines):
        for fld, why in line_problems(ln.summary, ln.account_code, ln.debit, ln.credit,
                                      allow_negative=reversal).items():
            problems.add(idx, fld, why)
    check_balance(lines, problems, reversal, limit)
    return problems


def validate_lines(raw_lines: list[dict]) -> tuple[list[LineInput], Problems]:
    """Parse and check the lines a clerk typed; empty rows are dropped, every problem is reported (the whole
    voucher's balance once its lines are readable)."""
    problems = Problems()
    lines = []
    for idx, raw in enumerate(raw_lines):
        parsed = parse_line(raw, idx, problems)
        if parsed is not None:
            lines.append(parsed)
    if not problems.fields:
        check_balance(lines, problems)
    elif len(lines) > MAX_LINES:  # too many lines is said at once: fixing the others would not help
        problems.add(None, "lines", count_problem(len(lines)))
    return lines, problems


# The kind of the opening voucher an earlier release's switch-over posted: migration 0009 made its amounts the
# village's opening balances, so every reader of activity (lines) leaves it out; the chain still holds it.
OPENING_VOUCHER = "opening"


class LockedMonths:
    """(village id, ym) keys no voucher may be written to: closed periods, months without a period before the
    village's latest closed month (their postings would change the balances stored when it was closed), months
    before the village's start with opening balances, and, when posting, every month of a village whose opening
    balances do not balance. starts: village id → (start ym, balanced)."""

    def __init__(self, periods, starts=None, posting: bool = False) -> None:
        self.status = {(vid, ym): status for vid, ym, status in periods}
        self.starts: dict[int, tuple[int, bool]] = dict(starts or {})
        self.posting = posting
        self.latest: dict[int, int] = {}
        for (vid, ym), status in self.status.items():
            if status != "open" and ym > self.latest.get(vid, 0):
                self.latest[vid] = ym
        self._known: dict[tuple[int, int], bool] = {}  # answers given (an import asks once per voucher)

    def merge(self, other: LockedMonths) -> None:
        """Add the months of other villages (a later look-up of the same import)."""
        self.status.update(other.status)
        self.starts.update(other.starts)
        self.latest.update(other.latest)
        self.posting = other.posting
        self._known.clear()

    def _start_problem(self, key: tuple[int, int]) -> str | None:
        start = self.starts.get(key[0])
        if start is None:
            return None
        if key[1] < start[0]:
            return f"本村于 {ym_label(start[0])} 建账，不能导入 {ym_label(key[1])} 的凭证（此前的业务已计入期初余额）"
        if self.posting and not start[1]:
            return "本村期初余额试算不平衡，不能导入并记账"
        return None

    def __contains__(self, key: tuple[int, int]) -> bool:
        locked = self._known.get(key)
        if locked is None:
            locked = self._known[key] = self._locked(key)
        return locked

    def _locked(self, key: tuple[int, int]) -> bool:
        status = self.status.get(key)
        if status is not None and status != "open":
            return True
        return (status is None and key[1] < self.latest.get(key[0], 0)) or self._start_problem(key) is not None

    def why(self, org_code: str, key: tuple[int, int]) -> str:
        """Why a locked month refuses vouchers, for the import error list."""
        status = self.status.get(key)
        if status is not None and status != "open":
            return f"{org_code} 的期间 {ym_label(key[1])} 已结账"
        if status is None and key[1] < self.latest.get(key[0], 0):
            return f"{org_code} 的期间 {ym_label(key[1])} 早于已结账的 {ym_label(self.latest[key[0]])}"
        return f"{org_code}：{self._start_problem(key)}"


def split_balance(net: Decimal) -> tuple[Decimal, Decimal]:
    """A net balance on the side where it is positive: net debit → (net, 0), net credit → (0, -net)."""
    return (net, ZERO) if net > 0 else (ZERO, -net)


# Frozen: stored voucher hashes are re-verified from this text; a change breaks verify-chain (test_frozen_formats).
def chain_payload(village_code: str, ym: int, number: int, voucher_date: date, reverses: int | None,
                  lines: list[tuple[str, str, int, int]]) -> str:
    """Canonical text of a posted voucher for hashing; lines are (code, summary, debit fen, credit fen)."""
    head = f"{village_code}|{ym}|{number}|{voucher_date.isoformat()}|{reverses or ''}"
    body = "\n".join(f"{c}|{s}|{d}|{k}" for c, s, d, k in lines)
    return head + "\n" + body


# Frozen: the link every stored voucher hash was made with (tests/unit/test_frozen_formats.py pins the digests).
def chain_hash(prev_hash: str, payload: str) -> str:
    """SHA-256 link: the previous link's hash and this voucher's canonical text."""
    return hashlib.sha256((prev_hash + "\n" + payload).encode("utf-8")).hexdigest()


# Voucher numbers as clerks say them, and what a month's numbering must be.
LIST_MAX = 8  # numbers named in a message before "等N个"


def number_label(number: int | None) -> str:
    """记-0007, or （未编号） for a voucher not yet posted."""
    return f"记-{number:04d}" if number else "（未编号）"


def _labels(numbers: list[int]) -> str:
    """记-0003、记-0005 … with at most LIST_MAX named."""
    named = "、".join(number_label(n) for n in numbers[:LIST_MAX])
    return named + (f" 等{len(numbers)}个" if len(numbers) > LIST_MAX else "")


def number_problems(numbers: list[int], last: int) -> list[str]:
    """Posted numbers of a month must be exactly 1..last, each once (last = the month's counter)."""
    seen = Counter(numbers)
    problems = []
    dup = sorted(n for n, c in seen.items() if c > 1)
    if dup:
        problems.append(f"凭证号重复：{_labels(dup)}")
    missing = sorted(set(range(1, last + 1)) - set(seen))
    if missing:
        problems.append(f"凭证号不连续，缺少 {_labels(missing)}")
    beyond = sorted(n for n in seen if n < 1 or n > last)
    if beyond:
        problems.append(f"凭证号超出本月编号 1–{last}：{_labels(beyond)}")
    return problems


# Anchors: links of a village's chain recorded where rewriting the chain does not reach (docs/verification.md).
@dataclass(frozen=True)
class Anchor:
    """A link recorded outside the chain, by an audit row of a posting or an import or in a file of exported
    heads. seq None: an audit row written before the links' places were recorded (its hash is still checked)."""

    source: str  # where it was recorded: 审计日志 #12, 链头文件 heads.json
    seq: int | None
    hash: str | None
    name: str = ""  # the voucher as clerks name it (2024-05 记-0002), when known
    postings: int = 0  # vouchers the record says were posted: a posting 1, an import its count, a file 0
    kind: str | None = None  # a posting's voucher kind (normal, year_close …): not in the chain, read by statements
    readable: bool = True


# Frozen: the audit details posting.post ("seq", "hash", "ym", "number") and the importer ("posted", "vouchers",
# "head_seq", "head_hash") write; stored audit rows are read with this for as long as the books are kept.
def anchor_of(audit_id: int, action: str, detail: str | None) -> Anchor | None:
    """The anchor an audit row of a posting (voucher.post) or an import (voucher.import) records, if any."""
    source = f"审计日志 #{audit_id}"
    try:
        d = json.loads(detail or "{}")
        if action == "voucher.post":
            name = f"{ym_label(d['ym'])} {number_label(d['number'])}" if d.get("ym") else ""
            return Anchor(source, d.get("seq"), d.get("hash"), name, 1, d.get("kind", "normal"))
        if not d.get("posted"):
            return None  # an import of drafts posts nothing
        return Anchor(source, d.get("head_seq"), d.get("head_hash"), f"导入文件 {d.get('file')} 的最后一张凭证",
                      int(d["vouchers"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        return Anchor(source, None, None, readable=False)


def missing_label(first: int, last: int, names: Mapping[int, str]) -> str:
    """链序 4, or 链序 4–6, with the vouchers' names where an anchor recorded them."""
    span = f"链序 {first}" if first == last else f"链序 {first}–{last}"
    known = [names[s] for s in range(first, min(last, first + LIST_MAX) + 1) if s in names]
    return span + (f"（{'、'.join(known)}）" if known else "")


def anchor_problems(where: str, anchors: Sequence[Anchor], hashes: Mapping[int, str], last_seq: int) -> list[str]:
    """Anchors the chain no longer holds: a link recorded beyond the chain's end (the newest vouchers were cut
    off and the head rewound), or a link whose hash differs from the chain's at its place (the chain was
    rewritten from there). An anchor at a place the chain skips is left to the chain's gap, which names it."""
    problems, known = [], None
    for a in anchors:
        named = f" {a.name}" if a.name else ""
        if not a.readable:
            problems.append(f"审计不符：{where} {a.source} 的记账记录无法读取")
        elif a.seq is None:
            if a.hash:  # an old audit row: its hash must still be somewhere in the chain
                known = set(hashes.values()) if known is None else known
                if a.hash not in known:
                    problems.append(f"链被改写：{where} {a.source} 记录的{named}（哈希 {a.hash[:12]}…）不在链中")
        elif a.seq > last_seq:
            problems.append(f"链被截断：{where} {a.source} 记录的{named}（链序 {a.seq}）已不在链中，"
                            f"链只到链序 {last_seq}")
        elif a.seq in hashes and hashes[a.seq] != a.hash:
            problems.append(f"链被改写：{where} {a.source} 记录的{named}（链序 {a.seq}）哈希 {str(a.hash)[:12]}… "
                            f"与链中的 {hashes[a.seq][:12]}… 不符")
    return problems


def posting_count_problem(where: str, anchors: Sequence[Anchor], vouchers: int) -> str | None:
    """Every posting writes its audit row in the same transaction: as many postings as posted vouchers."""
    audited = sum(a.postings for a in anchors)
    if audited > vouchers:
        return (f"审计不符：{where} 审计日志记录了 {audited} 张凭证记账，链中只有 {vouchers} 张已记账凭证"
                "（有已记账凭证被删除）")
    if audited < vouchers:
        return (f"审计不符：{where} 链中有 {vouchers} 张已记账凭证，审计日志只记录了 {audited} 张记账"
                "（有凭证未经记账写入，或审计记录被删除）")
    return None


# Frozen: files of exported heads are kept outside the database and read back by later versions.
HEADS_FORMAT = "threeassets-chain-heads"


def heads_json(heads: Mapping[str, tuple[int, str]], at: datetime) -> str:
    """The chain heads (village code → (seq, hash)) as the file `verify --export-head` writes."""
    body = {"format": HEADS_FORMAT, "version": 1, "exported_at": at.isoformat(timespec="seconds"),
            "heads": {code: {"seq": seq, "hash": h} for code, (seq, h) in sorted(heads.items())}}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def read_heads(text: str, name: str) -> dict[str, Anchor]:
    """A file of exported heads → village code → anchor; a file that is not one is refused with the reason."""
    try:
        body = json.loads(text)
        if body.get("format") != HEADS_FORMAT or body.get("version") != 1:
            raise ValueError("不是 threeassets 导出的链头文件")
        heads = {code: Anchor(f"链头文件 {name}", int(h["seq"]), str(h["hash"])) for code, h in body["heads"].items()}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise LedgerError(f"链头文件 {name} 无法读取：{exc}") from None
    if any(a.seq < 1 or len(a.hash) != 64 for a in heads.values()):
        raise LedgerError(f"链头文件 {name} 无法读取：链序或哈希不对")
    return heads
