"""Demo notices, loaded by `threeassets demo` after the books and registers (it runs last): for each demo village
last month's notice signed off by the village's oversight group and published, and this month's draft.

Each demo village has its own oversight-group login (`licai`, `licai2`, `licai3`: demo/loader.py USERS),
since only a village's own group may sign its notice."""
from __future__ import annotations

from datetime import date, timedelta

from threeassets.disclosure import service

OTHER = "本月村内主干道硬化工程已经村民代表会议讨论通过（“四议两公开”），工程款将按进度支付，详见下期公开。"
SIGNERS = ["刘理财、王立新、赵秀兰", "陈德明、孙桂芝、周建华", "吴海涛、郑玉梅、冯志强"]


def _base_url() -> str:
    """The public address for the QR codes: THREEASSETS_PUBLIC_URL, else the local server's address. The demo's
    notices are samples for a trial instance (scripts/start sets the address it serves at), so unlike real
    publishing (core/public.py) they print the local address rather than refuse."""
    from flask import has_app_context

    from threeassets.core.public import LOCAL_BASE, public_base
    return (public_base() if has_app_context() else "") or LOCAL_BASE


def _boards(session, villages, users) -> list:
    """The oversight-group login of each village: licai, licai2 … of the demo users."""
    return [users["licai" if i == 1 else f"licai{i}"] for i in range(1, len(villages) + 1)]


def _published(session, village, board, signers: str, period: str, staff, today: date) -> None:
    """Last month's notice: generated, submitted on the 2nd, signed on the 3rd, posted on the 4th (or today)."""
    first = today.replace(day=1)
    submitted, signed, posted = (min(today, first + timedelta(days=d)) for d in (1, 2, 3))
    notice = service.generate(session, village=village, period=period, actor=staff, today=today)
    service.submit(session, notice=notice, village=village, actor=staff)
    notice.submitted_at = notice.submitted_at.replace(year=submitted.year, month=submitted.month, day=submitted.day)
    service.sign_off(session, notice=notice, village=village, actor=board, names=signers, on=signed,
                     remarks="经逐笔核对凭证，收支真实，同意公开。", today=today)
    service.publish(session, notice=notice, village=village, actor=staff, posted_on=posted,
                    display_until=posted + timedelta(days=29), base_url=_base_url())


def load(session, township, villages, users, today) -> None:
    """Add this feature's demo rows in the caller's transaction."""
    last = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    boards = _boards(session, villages, users)
    staff = users["kuaiji"]
    for village, board, signers in zip(villages, boards, SIGNERS, strict=False):
        _published(session, village, board, signers, last, staff, today)
        service.generate(session, village=village, period=today.strftime("%Y-%m"), actor=staff,
                         other=OTHER if village is villages[0] else "", today=today)
