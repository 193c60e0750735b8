"""Search as a villager types on the kiosk: part of a name, or the pinyin initials of its characters (“gddl” finds
耕地地力保护补贴). Pure: pypinyin's dictionary, no database."""
from __future__ import annotations

from functools import lru_cache

from threeassets.core.pagination import search_word

QUERY_MAX = 40


@lru_cache(maxsize=4096)
def initials(text: str) -> str:
    """The lower-case pinyin initials of the Chinese characters of a text (other letters and digits kept)."""
    from pypinyin import Style, lazy_pinyin  # the dictionary loads on first use, not with every command
    return "".join(p[:1] for p in lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors=lambda s: list(s))
                   if p.strip()).lower()


def clean(query: str | None) -> str:
    """A typed query trimmed to what is searched: a full-width code or initials read as half-width (ＧＤＤＬ finds
    what gddl finds; core.pagination.search_word), no spaces, at most QUERY_MAX characters."""
    return "".join(search_word(query).split())[:QUERY_MAX]


def matches(query: str, *texts: str) -> bool:
    """Whether any text contains the query, or its initials do (letters only, any case)."""
    q = clean(query)
    if not q:
        return True
    low = q.lower()
    if any(low in (t or "").lower() for t in texts):
        return True
    return low.isascii() and low.isalpha() and any(low in initials(t or "") for t in texts)
