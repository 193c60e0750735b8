"""Entering a year's holiday notice: the typed lines, and the clock counting with an entered year (no database)."""
from datetime import date

import pytest

from threeassets.windows import workdays

NOTICE_2031 = """2031-01-01 元旦 休
２０３１－０１－２２～２０３１－０１－２８ 春节 休
2031年1月26日 春节 班
2031-02-08 春节 上班
2031-10-01 至 2031-10-07 国庆节 放假
2031-09-28 国庆节 班
"""


def test_a_notice_typed_as_it_reads_gives_days_off_and_make_up_days():
    days, problems = workdays.parse_arrangement(2031, NOTICE_2031)
    assert problems == [(3, "2031-01-26已在前面写成放假")]
    days, problems = workdays.parse_arrangement(2031, NOTICE_2031.replace("2031年1月26日 春节 班\n", ""))
    assert problems == []
    kinds = {d: w for d, w, _n in days}
    assert kinds[date(2031, 1, 1)] is False and kinds[date(2031, 2, 8)] is True  # a Saturday made a working day
    assert [d for d, w, _n in days if not w][1:8] == [date(2031, 1, d) for d in range(22, 29)]
    assert sum(1 for _d, w, _n in days if not w) == 1 + 7 + 7 and sum(1 for _d, w, _n in days if w) == 2
    assert {n for _d, _w, n in days} == {"元旦", "春节", "国庆节"}


@pytest.mark.parametrize("line, why", [
    ("2031-13-01 元旦 休", "不是日期"),
    ("2030-12-31 元旦 休", "日期不在2031年内"),
    ("2031-02-03 春节 班", "本是工作日"),  # a Monday: “班” is for weekends only
    ("2031-01-20~2031-02-10 春节 休", "不能超过15天"),
    ("2031-01-28~2031-01-22 春节 休", "早于开始日期"),
    ("元旦放假一天", "看不懂"),
    ("2031-01-01 元旦 补", "看不懂"),
])
def test_each_bad_line_is_named_with_its_reason(line, why):
    _days, problems = workdays.parse_arrangement(2031, f"2031-05-01 劳动节 休\n\n{line}")
    assert len(problems) == 1 and problems[0][0] == 3 and why in problems[0][1]


def test_an_empty_notice_is_refused():
    assert workdays.parse_arrangement(2031, " \n")[1][0][0] == 0


@pytest.fixture
def entered_2031():
    """The clock reading one entered year from a stand-in database."""
    days, _ = workdays.parse_arrangement(2031, NOTICE_2031.replace("2031年1月26日 春节 班\n", ""))
    source = object()
    reads = []
    registered = workdays._loader  # the app's own (windows/hooks.py), put back afterwards

    def read(src):
        reads.append(src)
        return {2031: {d: w for d, w, _n in days}}
    workdays.use_loader(lambda: source, read)
    yield reads
    if registered is None:
        workdays.use_loader(lambda: None, lambda _src: {})
    else:
        workdays.use_loader(*registered)


def test_an_entered_year_is_known_and_counted_with(entered_2031):
    assert workdays.year_known(2031) and not workdays.year_known(2032)
    assert workdays.fallback_notice(date(2031, 1, 20), date(2031, 2, 10)) is None
    assert workdays.is_working_day(date(2031, 2, 8))  # Saturday, 调休上班
    assert not workdays.is_working_day(date(2031, 1, 23))  # Thursday in 春节
    assert workdays.is_working_day(date(2031, 3, 3)) and not workdays.is_working_day(date(2031, 3, 1))
    # 5 working days after Monday 2031-01-20: 21 (Tue), 春节 22–28 off, then 29, 30, 31 and Monday Feb 3
    assert workdays.add_working_days(date(2031, 1, 20), 5) == date(2031, 2, 3)
    # the same from Friday 2031-02-07: Saturday Feb 8 is worked, so the 5th is Thursday Feb 13, not Friday
    assert workdays.add_working_days(date(2031, 2, 7), 5) == date(2031, 2, 13)
    assert workdays.is_working_day(date(2031, 1, 22), strict=True) is False  # no CalendarUnknown for it
    assert len(entered_2031) == 1  # read once, then kept for REFRESH_SECONDS


def test_another_database_is_read_at_once_and_a_save_forces_a_read(entered_2031):
    workdays.year_known(2031)
    workdays.refresh(force=True)
    assert len(entered_2031) == 2
    workdays.use_loader(lambda: "other", lambda _src: {})  # another database bound: its own (none entered)
    assert not workdays.year_known(2031)
