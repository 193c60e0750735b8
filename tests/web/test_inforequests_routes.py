"""依申请公开 pages: registering (full-width input, each problem beside its field), the list's filters the annual
report links to, the steps a page offers by role and state, refused steps, and each printed paper.
(Who may open which page, and 404 for another township, are rows of tests/web/access_inforequests.py.)"""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import func, select

from tests.web.access_inforequests import make_request
from threeassets.inforequests.models import InfoRequest


def _req(session, request_id) -> InfoRequest:
    session.rollback()
    return session.get(InfoRequest, request_id, populate_existing=True)


def _text(resp) -> str:
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(resp.data)).pages)


def test_registering_reads_full_width_input_and_shows_each_problem(as_user, client, world, session):
    as_user("clerk")
    url = f"/t/{world.township_a.id}/info-requests/new"
    assert "登记政府信息公开申请" in client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"channel": "post", "requester_kind": "person", "requester_name": "",
                                 "requester_id_no": "110101199003070000", "contact": "", "content": "",
                                 "received_on": "2099-01-01"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    for why in ("请填写申请人姓名或名称", "身份证号码校验未通过", "请填写联系电话或其他联系方式",
                "收到日期不能晚于今天"):
        assert f'<div class="invalid-feedback d-block">{why}' in page, why
    assert 'value="110101199003070000"' in page  # what was typed stays in its box
    assert session.scalar(select(func.count()).select_from(InfoRequest)) == 0
    unreadable = client.post(url, data={"channel": "post", "requester_kind": "person", "requester_name": "李四",
                                        "contact": "139", "content": "x", "received_on": "去年"})
    assert unreadable.status_code == 422 and "不是日期" in unreadable.get_data(as_text=True)
    ok = client.post(url, data={"channel": "post", "requester_kind": "person", "requester_name": "李四",
                                "requester_id_no": "１１０１０１１９９００３０７００２Ｘ", "contact": "13900005678",
                                "content": "２０２５年财务公开榜", "received_on": "２０２４年９月２７日"})
    assert ok.status_code == 302
    req = session.scalar(select(InfoRequest))
    assert (req.requester_id_no, req.received_on, req.due_on) == ("11010119900307002X", date(2024, 9, 27),
                                                                   date(2024, 10, 30))
    page = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "依申〔2024〕第1号" in page and "已超期" in page  # due 2024-10-30, long past


def test_the_list_filters_the_annual_report_links_to(as_user, client, world, session):
    answered = make_request(session, world, world.a1, ["answer"])  # withheld_4, received today
    running = make_request(session, world, world.a1)
    make_request(session, world, world.b1, ["answer"])  # another township's: never listed
    as_user("supervisor")
    base = f"/t/{world.township_a.id}/info-requests"
    year = date.today().year

    def numbers(query: str) -> set[str]:
        page = client.get(f"{base}?{query}").get_data(as_text=True)
        return {n for n in (_req(session, answered).number, _req(session, running).number) if n in page}
    both = {_req(session, answered).number, _req(session, running).number}
    assert numbers("") == both
    assert numbers(f"year={year}&outcome=withheld") == {_req(session, answered).number}
    assert numbers(f"year={year}&outcome=withheld_4&requester=person") == {_req(session, answered).number}
    assert numbers(f"year={year}&outcome=disclosed") == set()
    assert numbers(f"year={year}&row=carried_out") == {_req(session, running).number}
    assert numbers(f"year={year}&row=new") == both and numbers(f"year={year - 1}") == set()
    assert numbers("state=answered") == {_req(session, answered).number}
    assert numbers("year=abc&outcome=<x>&row=zz&page=-3") == both  # nonsense filters are ignored, never a 500


def test_each_role_sees_the_steps_the_rules_allow(as_user, client, world, session):
    request_id = make_request(session, world, world.a1)
    url = f"/t/{world.township_a.id}/info-requests/{request_id}"
    as_user("clerk")
    page = client.get(url).get_data(as_text=True)
    assert 'id="answer-form"' in page and "告知补正（仅一次）" in page and "延期答复（仅一次）" in page
    assert "收到补正" not in page and "pdf-answer" not in page
    as_user("supervisor")
    page = client.get(url).get_data(as_text=True)
    assert "答复" in page and 'id="answer-form"' not in page and "（只读）" in page
    assert client.post(f"{url}/answer", data={"outcome": "disclosed", "answer_text": "x"}).status_code == 403


def test_a_refused_step_is_flashed_and_writes_nothing(as_user, client, world, session):
    request_id = make_request(session, world, world.a1, ["correction"])
    url = f"/t/{world.township_a.id}/info-requests/{request_id}"
    as_user("clerk")
    resp = client.post(f"{url}/extend", data={"extension_days": "10", "extension_reason": "x"},
                       follow_redirects=True)
    assert "申请待补正，不能延期答复" in resp.get_data(as_text=True)
    resp = client.post(f"{url}/lapse", follow_redirects=True)  # the time given is not over yet
    assert "期限届满后才能" in resp.get_data(as_text=True)
    assert _req(session, request_id).state == "correction"


def test_answer_and_each_paper(as_user, client, world, session):
    request_id = make_request(session, world, world.a1, ["correction", "corrected", "extend"])
    url = f"/t/{world.township_a.id}/info-requests/{request_id}"
    as_user("head")
    assert client.get(f"{url}/answer.pdf").status_code == 404  # not answered yet
    text = _text(client.get(f"{url}/correction.pdf"))
    assert "补正告知书" in text and "请写明年度" in text
    text = _text(client.get(f"{url}/extension.pdf"))
    assert "延期答复告知书" in text and "延长10个工作日" in text and "需调取档案" in text
    resp = client.post(f"{url}/answer", data={"outcome": "partial", "answer_text": "提供汇总表；明细含个人信息<b>",
                                              "answer_basis": "", "on": ""})
    assert resp.status_code == 302
    req = _req(session, request_id)
    assert req.outcome == "partial" and req.answer_basis == "《中华人民共和国政府信息公开条例》第三十七条"
    text = _text(client.get(f"{url}/answer.pdf"))
    for words in ("政府信息公开申请答复书", "（部分公开）", req.number, "明细含个人信息<b>", "第三十七条", "行政复议",
                  "行政诉讼", "甲镇人民政府"):
        assert "".join(words.split()) in text, words
    as_user("supervisor")  # reads the papers too
    assert client.get(f"{url}/answer.pdf").status_code == 200


def test_a_disclosure_answer_prints_no_remedies(as_user, client, world, session):
    request_id = make_request(session, world, world.a1)
    url = f"/t/{world.township_a.id}/info-requests/{request_id}"
    as_user("clerk")
    client.post(f"{url}/answer", data={"outcome": "disclosed", "answer_text": "提供复印件一份"})
    text = _text(client.get(f"{url}/answer.pdf"))
    assert "（予以公开）" in text and "提供复印件一份" in text and "行政复议" not in text


def test_a_refused_answer_comes_back_as_typed(as_user, client, world, session):
    request_id = make_request(session, world, world.a1)
    url = f"/t/{world.township_a.id}/info-requests/{request_id}"
    as_user("head")
    reply = "提供2025年度村级财务收支明细表<复印件>；" * 20
    resp = client.post(f"{url}/answer", data={"outcome": "partial", "answer_text": reply,
                                              "answer_basis": "第三十七条", "on": "2099-01-01"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and _req(session, request_id).state == "handling"
    assert '<option value="partial" selected>' in page  # the answer's type, text, basis and date kept
    assert "提供2025年度村级财务收支明细表&lt;复印件&gt;" in page and 'value="第三十七条"' in page
    assert 'name="on" value="2099-01-01"' in page and "不能晚于今天" in page
    resp = client.post(f"{url}/extend", data={"extension_days": "99", "extension_reason": "需调取档案", "on": ""})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'name="extension_days" inputmode="numeric" value="99"' in page
    assert ">需调取档案</textarea>" in page and '<details class="windows-act" open><summary>延期答复（仅一次）' in page
