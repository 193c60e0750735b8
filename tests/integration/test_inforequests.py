"""Requests for disclosure (依申请公开) on a real database: every (state, action) pair of the flow allowed or refused
by the service, the statutory clock across a holiday (the library's and one the administrator entered) and an
extension, the clock restarting on a corrected request, gapless numbers, and `counted` against a count by hand."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest
from sqlalchemy import func, select

from tests.integration.conftest import audit_count
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.inforequests import queries, rules, service
from threeassets.inforequests.models import InfoRequest, InfoRequestEvent
from threeassets.inforequests.rules import Action, Counted, State
from threeassets.windows import holidays, workdays

D = date.fromisoformat


@pytest.fixture
def receive(session, world):
    """Register a request of township A (the clerk), received on `on` (default today)."""
    def _receive(on: date | None = None, township=None, kind="person", **kw):
        on = on or date.today()
        args = dict(channel="in_person", requester_kind=kind, requester_name="张三", contact="13800001234",
                    content="东风村2025年收益分配方案") | kw
        with transaction(session):
            return service.receive(session, township=township or world.township_a, actor=world.user("clerk"),
                                   received_on=on, today=max(on, date.today()), **args)
    return _receive


def _do(session, req, actor, action: str, outcome: str | None = None, on: date | None = None):
    """One step as the page would send it, in its own transaction."""
    today = max(on or date.today(), date.today())
    with transaction(session):
        if action == Action.ASK_CORRECTION:
            service.ask_correction(session, req, actor, "请写明年度", on=on, today=today)
        elif action == Action.CORRECTED:
            service.corrected(session, req, actor, on=on, today=today)
        elif action == Action.EXTEND:
            service.extend(session, req, actor, 10, "需调取档案汇总", on=on, today=today)
        else:
            service.answer(session, req, actor, outcome or "disclosed", "提供复印件一份", on=on, today=today)


def _into(session, receive, world, state: str):
    """A request brought into a state through the service."""
    clerk = world.user("clerk")
    req = receive(D("2024-09-02"))
    if state == State.CORRECTION:
        _do(session, req, clerk, Action.ASK_CORRECTION, on=D("2024-09-03"))
    elif state == State.ANSWERED:
        _do(session, req, clerk, Action.ANSWER, on=D("2024-09-10"))
    return req


ALLOWED = {(State.HANDLING, Action.ASK_CORRECTION), (State.HANDLING, Action.EXTEND), (State.HANDLING, Action.ANSWER),
           (State.CORRECTION, Action.CORRECTED), (State.CORRECTION, Action.ANSWER)}
NEXT = {Action.ASK_CORRECTION: State.CORRECTION, Action.CORRECTED: State.HANDLING, Action.EXTEND: State.HANDLING,
        Action.ANSWER: State.ANSWERED}


@pytest.mark.parametrize("state, action", list(product(State, Action)))
def test_every_state_and_action_pair_through_the_service(session, world, receive, state, action):
    req = _into(session, receive, world, state)
    events = session.scalar(select(func.count()).select_from(InfoRequestEvent))
    audits = audit_count(session, f"inforequest.{action}")
    # a request waiting for 补正 ends only as not corrected in time, after its deadline
    outcome = rules.NOT_CORRECTED if state == State.CORRECTION else "disclosed"
    on = (req.correction_deadline + timedelta(days=3)) if state == State.CORRECTION and action == Action.ANSWER \
        else D("2024-09-20") if state == State.CORRECTION else D("2024-09-04")
    if (state, action) in ALLOWED:
        _do(session, req, world.user("clerk"), action, outcome, on)
        session.refresh(req)
        assert req.state == NEXT[action]
        assert audit_count(session, f"inforequest.{action}") == audits + 1
        assert session.scalar(select(func.count()).select_from(InfoRequestEvent)) == events + 1
    else:
        with pytest.raises(IllegalMove) as refused:
            _do(session, req, world.user("clerk"), action, outcome, on)
        assert str(refused.value) == f"申请{rules.STATE_LABELS[state]}，不能{rules.ACTION_LABELS[action]}"
        session.refresh(req)
        assert req.state == state
        assert audit_count(session, f"inforequest.{action}") == audits
        assert session.scalar(select(func.count()).select_from(InfoRequestEvent)) == events


def test_the_clock_across_national_day_an_extension_and_a_correction(session, world, receive):
    """Received Friday 2024-09-27: 29 Sept (Sunday) and 12 Oct (Saturday) are worked, 1–7 Oct are off."""
    clerk = world.user("clerk")
    req = receive(D("2024-09-27"))
    assert req.due_on == D("2024-10-30")
    _do(session, req, clerk, Action.EXTEND, on=D("2024-10-29"))  # 10 working days more
    assert req.due_on == D("2024-11-13") and req.extension_days == 10

    other = receive(D("2024-09-27"))
    with pytest.raises(RuleError, match="7个工作日"):  # the last day for a 补正 notice is 12 Oct
        _do(session, other, clerk, Action.ASK_CORRECTION, on=D("2024-10-14"))
    _do(session, other, clerk, Action.ASK_CORRECTION, on=D("2024-10-12"))
    assert other.state == State.CORRECTION and other.correction_deadline == D("2024-11-01")  # 15 working days
    _do(session, other, clerk, Action.CORRECTED, on=D("2024-10-15"))
    assert other.due_on == D("2024-11-12")  # 20 working days from the corrected request, not from receipt
    assert rules.overdue(other.state, other.due_on, D("2024-11-13")) and \
        not rules.overdue(other.state, other.due_on, D("2024-11-12"))


def test_an_extension_is_once_at_most_twenty_days_with_a_reason_and_before_the_due_date(session, world, receive):
    clerk = world.user("clerk")
    req = receive(D("2024-09-02"))
    for days, reason, field in ((21, "理由", "extension_days"), (0, "理由", "extension_days"),
                                (5, " ", "extension_reason")):
        with pytest.raises(RuleError) as refused, transaction(session):
            service.extend(session, req, clerk, days, reason, on=D("2024-09-10"))
        assert field in refused.value.fields
    with pytest.raises(RuleError, match="届满"), transaction(session):
        service.extend(session, req, clerk, 5, "理由", on=req.due_on + timedelta(days=1))
    _do(session, req, clerk, Action.EXTEND, on=D("2024-09-10"))
    with pytest.raises(IllegalMove, match="只能延长一次"):
        _do(session, req, clerk, Action.EXTEND, on=D("2024-09-11"))


def test_an_administrator_entered_year_moves_the_due_date(session, world, receive):
    """A year the calendar library does not carry: the days the administrator entered are off for this clock too."""
    year = date.today().year + 1
    with transaction(session):
        holidays.save_year(session, world.user("admin"), year, "国务院办公厅关于部分节假日安排的通知",
                           f"{year}-03-01~{year}-03-14 测试假 休")
    workdays.refresh(force=True)
    received = date(year, 2, 26)
    req = receive(received)
    skipped = sum(1 for n in range(14) if (date(year, 3, 1) + timedelta(days=n)).weekday() < 5)
    expected = received
    for _ in range(20 + skipped):  # 20 working days plus the weekdays of the entered fortnight, Monday to Friday
        expected += timedelta(days=1)
        while expected.weekday() >= 5:
            expected += timedelta(days=1)
    assert skipped == 10 and req.due_on == expected
    assert all(not workdays.is_working_day(date(year, 3, 1) + timedelta(days=n)) for n in range(14))


def test_answers_need_their_reason_and_basis_and_a_waiting_request_ends_only_as_not_corrected(session, world,
                                                                                               receive):
    clerk = world.user("clerk")
    req = receive(D("2024-09-02"))
    with pytest.raises(RuleError) as refused, transaction(session):
        service.answer(session, req, clerk, "withheld_4", " ", on=D("2024-09-05"))
    assert "answer_text" in refused.value.fields
    with pytest.raises(RuleError) as refused, transaction(session):
        service.answer(session, req, clerk, "other_3", "其他情形", "", on=D("2024-09-05"))
    assert "answer_basis" in refused.value.fields  # 其他: no default article, the clerk must write it
    with pytest.raises(IllegalMove, match="逾期不补正"), transaction(session):
        service.answer(session, req, clerk, rules.NOT_CORRECTED, "未补正", on=D("2024-09-05"))
    _do(session, req, clerk, Action.ANSWER, "withheld_4", on=D("2024-09-05"))
    assert req.answer_basis == "《中华人民共和国政府信息公开条例》第十五条" and req.answered_on == D("2024-09-05")

    waiting = receive(D("2024-09-02"))
    _do(session, waiting, clerk, Action.ASK_CORRECTION, on=D("2024-09-03"))
    with pytest.raises(IllegalMove, match="逾期不补正"):
        _do(session, waiting, clerk, Action.ANSWER, "disclosed", on=D("2024-09-30"))
    with pytest.raises(RuleError, match="期限届满后"), transaction(session):
        service.lapse(session, waiting, clerk, on=waiting.correction_deadline)
    with transaction(session):
        service.lapse(session, waiting, clerk, on=waiting.correction_deadline + timedelta(days=1))
    assert waiting.state == State.ANSWERED and waiting.outcome == rules.NOT_CORRECTED
    assert "视为放弃申请" in waiting.answer_text and waiting.answer_basis.endswith("第三十条")


def test_registration_names_every_bad_field_and_writes_nothing(session, world, receive):
    with pytest.raises(RuleError) as refused:
        receive(D("2024-09-02"), kind="business", requester_name="", contact="", content="",
                requester_id_no="91110000600037341X", village_id=world.b1.id, channel="fax")
    assert set(refused.value.fields) == {"requester_name", "contact", "content", "requester_id_no", "village_id",
                                         "channel"}
    assert session.scalar(select(func.count()).select_from(InfoRequest)) == 0
    ok = receive(D("2024-09-02"), kind="business", requester_id_no="９１１１００００６０００３７３４１Ｌ")
    assert ok.requester_id_no == "91110000600037341L"  # full-width typed, stored half-width


def test_numbers_are_gapless_per_township_and_year_and_a_refused_registration_takes_none(session, world, receive):
    numbers = [receive(D("2024-12-30")).number, receive(D("2024-12-31")).number]
    with pytest.raises(RuleError):
        receive(D("2025-01-02"), content="")
    numbers += [receive(D("2025-01-02")).number, receive(D("2025-01-03")).number,
                receive(D("2025-01-03"), township=world.township_b).number]
    assert numbers == ["依申〔2024〕第1号", "依申〔2024〕第2号", "依申〔2025〕第1号", "依申〔2025〕第2号",
                       "依申〔2025〕第1号"]
    seqs = session.execute(select(InfoRequest.year, InfoRequest.seq).where(
        InfoRequest.township_id == world.township_a.id).order_by(InfoRequest.id)).all()
    assert [tuple(s) for s in seqs] == [(2024, 1), (2024, 2), (2025, 1), (2025, 2)]


def test_counted_is_the_years_business_by_township(session, world, receive):
    """counted() against a count by hand of what each request is (rules.annual_table's rows)."""
    clerk, head_b = world.user("clerk"), world.user("head_b")
    spec = [  # (received, answered, outcome, kind, township)
        ("2025-11-03", "2025-11-20", "disclosed", "person", "a"),  # last year's business only
        ("2025-12-22", "2026-01-08", "withheld_4", "business", "a"),  # carried in, answered this year
        ("2025-12-29", None, None, "law", "a"),  # carried in and carried out
        ("2026-03-02", "2026-03-20", "partial", "person", "a"),
        ("2026-05-06", None, None, "research", "a"),  # new, carried out
        ("2026-06-01", "2026-06-10", "unavailable_1", "charity", "b"),
    ]
    for received, answered, outcome, kind, town in spec:
        req = receive(D(received), kind=kind, township=world.township_a if town == "a" else world.township_b)
        if answered:
            with transaction(session):
                service.answer(session, req, clerk if town == "a" else head_b, outcome, "说明",
                               on=D(answered), today=max(D(answered), date.today()))
    got_a = sorted(queries.counted(session, [world.township_a.id], 2026), key=lambda c: c.received)
    assert got_a == [Counted("business", D("2025-12-22"), D("2026-01-08"), "withheld_4"),
                     Counted("law", D("2025-12-29"), None, None),
                     Counted("person", D("2026-03-02"), D("2026-03-20"), "partial"),
                     Counted("research", D("2026-05-06"), None, None)]
    assert len(queries.counted(session, None, 2026)) == 5 and queries.counted(session, [], 2026) == []
    assert len(queries.counted(session, [world.township_a.id], 2025)) == 3
    # every cell of township A's table: the list filter the report links to finds exactly the requests it counts
    table = rules.annual_table(2026, got_a)
    assert table["new"]["total"] == 2 and table["carried_in"]["total"] == 2
    assert table["total"]["total"] == 2 and table["carried_out"]["total"] == 2
    cells = [(row, "") for row in ("new", "carried_in", "total", "carried_out")] + \
        [("", code) for code in ("withheld_4", "withheld", "partial", "disclosed")]
    for (row, outcome), column in product(cells, rules.COLUMNS):
        f = queries.RequestFilter(year=2026, row=row, outcome=outcome,
                                  requester="" if column == "total" else column)
        found = session.scalars(queries.request_query(world.township_a.id, f, date.today())).all()
        assert len(found) == table[row or outcome][column], (row, outcome, column)


def test_overdue_filter_is_the_running_requests_past_their_due_date(session, world, receive):
    late, waiting = receive(D("2024-09-02")), receive(D("2024-09-02"))
    receive(date.today())
    _do(session, waiting, world.user("clerk"), Action.ASK_CORRECTION, on=D("2024-09-03"))
    found = session.scalars(queries.request_query(world.township_a.id, queries.RequestFilter(overdue=True),
                                                  date.today())).all()
    assert [r.id for r in found] == [late.id]
