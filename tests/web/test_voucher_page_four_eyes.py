"""A voucher's page says why it offers its own preparer no 记账 (four eyes), instead of leaving the button out
without a word; the poster who may post it sees the button and no such line."""
from __future__ import annotations


def test_the_preparer_is_told_why_there_is_no_post_button(as_user, records, world):
    v = records.voucher(world.a1, "reviewed")  # prepared by accountant, reviewed by reviewer
    url = f"/v/{world.a1.id}/vouchers/{v.id}"
    mine = as_user("accountant").get(url).get_data(as_text=True)
    assert "记账人不能是制单人（包括修改过这张凭证的人），请由其他人员办理" in mine
    assert f'action="/v/{world.a1.id}/vouchers/{v.id}/post"' not in mine
    other = as_user("accountant2").get(url).get_data(as_text=True)
    assert f'action="/v/{world.a1.id}/vouchers/{v.id}/post"' in other and "请由其他人员办理" not in other
