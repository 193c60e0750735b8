"""Lists: the search form applied to a select(), and pagination counted in SQL."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select

WORD_MAX = 50  # a search box's longest word


def search_word(raw: str | None) -> str:
    """A search box's text as matched: trimmed, at most WORD_MAX characters. Typed full-width (ＤＥＭＯ－２０２６,
    ＧＤＤＬ) it reads as half-width when it is then plain ASCII — a case number, a code, pinyin initials; Chinese
    text is matched as typed (NFKC would also turn its full-width brackets and commas into ASCII ones)."""
    word = (raw or "").strip()[:WORD_MAX]
    folded = unicodedata.normalize("NFKC", word)
    return folded if folded.isascii() else word


# The punctuation a Chinese input method types full-width and an imported file often has half-width.
_FULL_WIDTH = str.maketrans("(),:;!?", "（），：；！？")


def spellings(word: str) -> list[str]:
    """The ways the same words may be stored: as typed, with full-width letters, digits and punctuation
    half-width (NFKC), and with half-width punctuation full-width — so 村东(一组) finds 村东（一组） and back."""
    folded = unicodedata.normalize("NFKC", word)
    return list(dict.fromkeys([word, folded, folded.translate(_FULL_WIDTH)]))


def any_contains(columns: Sequence, word: str):
    """Whether any of the columns contains the word in any of its spellings, case-insensitive, its % and _
    matched as themselves (not as LIKE's wildcards: a search for 10% finds 10%, not everything that starts with
    10)."""
    return or_(*(column.icontains(w, autoescape=True) for column in columns for w in spellings(word)))


@dataclass
class Page:
    """One page of rows plus what the pager needs."""

    items: list
    page: int
    per_page: int
    total: int
    more: bool = False  # the count stopped at its cap: there are more rows than `total`

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def paginate(session, stmt, page: int, per_page: int, scalars: bool = True, cap: int | None = None) -> Page:
    """Run a select for one page and count the whole in SQL; a page past the last shows the last.

    With a cap, the count stops after `cap` rows (`Page.more` says it did) and so do the pages: for a list that
    grows without end, such as the audit log, where counting every row on every view would cost more and more
    (a count of 3 million rows takes ~0.2 s on PostgreSQL, the page itself under 1 ms), and a page deep in it
    would too (OFFSET reads every row before it). Such a list offers filters (dates) to reach older rows."""
    counted = stmt.order_by(None) if cap is None else stmt.order_by(None).limit(cap + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    more = cap is not None and total > cap
    total = min(total, cap) if more else total
    page = min(max(1, page), max(1, -(-total // per_page)))
    q = stmt.limit(min(per_page, total - (page - 1) * per_page) if more else per_page).offset((page - 1) * per_page)
    rows = list(session.scalars(q)) if scalars else list(session.execute(q))
    return Page(rows, page, per_page, total, more)


def search_filters(q, args: Mapping, choices: Mapping[str, tuple] = {}, words: Sequence = ()):  # noqa: B006
    """A list's search form applied to its query: for each name in `choices` (name → (column, allowed values)),
    ?name=value narrows the list when the value is allowed; ?q=word matches any of the `words` columns
    (a case-insensitive substring)."""
    for name, (column, allowed) in choices.items():
        if args.get(name) and args.get(name) in allowed:
            q = q.where(column == args[name])
    word = search_word(args.get("q"))
    if word and words:
        q = q.where(any_contains(words, word))
    return q
