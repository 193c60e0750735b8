"""A year typed in a list's filter box that is not one is said on the page, never silently replaced."""
from __future__ import annotations

from datetime import date

import pytest


@pytest.mark.parametrize("path, role, said", [
    ("/hall/cases?received=1999", "clerk", "受理年度“1999”不是2000至2100年间的年份，已显示全部年度"),
    ("/hall/cases?year=２０２６年", "clerk", None),
    ("/subsidies?year=二〇二五", "accountant", "年度“二〇二五”不是2000至2100年间的年份，已显示全部年度"),
    ("/subsidies/totals?year=26", "accountant", "年度“26”不是2000至2100年间的年份，已显示本年"),
    ("/kiosk/notices?year=2026-", "head", "年度“2026-”不是2000至2100年间的年份，已显示全部年度"),
])
def test_a_year_that_is_not_one_is_said(as_user, world, path, role, said):
    resp = as_user(role).get(f"/t/{world.township_a.id}{path}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    if said:
        assert said in html
    else:
        assert "alert-warning" not in html and 'value="2026"' in html  # read as typed on a full-width keyboard


def test_this_year_is_named_as_such(as_user, world):
    html = as_user("accountant").get(f"/t/{world.township_a.id}/subsidies/totals?year=x").get_data(as_text=True)
    assert "已显示本年" in html and f'value="{date.today().year}"' in html


def test_a_download_does_not_leave_its_warning_for_the_next_page(as_user, world):
    c = as_user("clerk")
    assert c.get(f"/t/{world.township_a.id}/hall/cases?year=1999&format=csv").status_code == 200
    assert "办结年度“1999”" not in c.get(f"/t/{world.township_a.id}/hall/cases").get_data(as_text=True)
