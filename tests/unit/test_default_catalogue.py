"""The packaged default catalogue: every item complete and in a window, the township stations' services among them."""
from decimal import Decimal

from threeassets.windows.catalogue import CODE_CHARS, default_catalogue

STATIONS = {"自然资源和村镇建设窗口": {"homestead_ask", "homestead"}, "财政所窗口": {"subsidy_card"},
            "民政窗口": {"dibao", "relief"}, "司法所窗口": {"legal_aid"}}


def test_every_item_is_complete_and_sits_in_a_window():
    data = default_catalogue()
    windows = {w["code"]: w["name"] for w in data["windows"]}
    assert len(windows) == len(data["windows"])
    codes = [i["code"] for i in data["items"]]
    assert len(codes) == len(set(codes))
    for item in data["items"]:
        assert set(item["code"]) <= CODE_CHARS, item["code"]
        assert item["window"] in windows, item["code"]
        assert item["name"] and item["legal_basis"] and item["steps"], item["code"]
        assert item["subject_example"], item["code"]  # the intake form's hint for 申请事由, of this service
        assert ("报账" in item["subject_example"]) is (item["code"] == "claim"), item["code"]
        assert isinstance(item["days"], int) and 1 <= item["days"] <= 60, item["code"]
        assert Decimal(item["fee"]) >= 0
        assert item["materials"], item["code"]
        for m in item["materials"]:
            assert m["name"] and m["copies"] >= 1 and isinstance(m["original"], bool), (item["code"], m)


def test_the_township_stations_gathered_in_the_hall_have_their_services():
    data = default_catalogue()
    names = {w["code"]: w["name"] for w in data["windows"]}
    by_window = {}
    for item in data["items"]:
        by_window.setdefault(names[item["window"]], set()).add(item["code"])
    for window, codes in STATIONS.items():
        assert codes <= by_window.get(window, set()), window
    # the statutory limits the items promise: legal aid is decided within 7 days, 低保 within 30 working days
    days = {i["code"]: i["days"] for i in data["items"]}
    assert days["legal_aid"] == 7 and days["dibao"] == 30 and days["homestead"] == 20


def test_materials_whose_note_names_their_case_are_conditional():
    """A material needed only in some cases (its note or name says 时 / 如有) is 视情形提交 and says when; every
    other one is required always (必交)."""
    conditional = {}
    for item in default_catalogue()["items"]:
        for m in item["materials"]:
            says_when = any(w in m.get("note", "") + m["name"] for w in ("时提供", "时）", "如有"))
            assert m.get("requirement", "always") == ("conditional" if says_when else "always"), (item["code"], m)
            if says_when:
                assert m["note"], (item["code"], m)
                conditional[item["code"]] = m["name"]
    assert conditional == {"claim": "收款方银行账户信息", "subsidy": "惠民惠农“一卡通”存折或银行卡",
                           "cert": "村委会推荐意见（需证明集体事项时）", "subsidy_card": "本人名下社会保障卡或银行卡",
                           "dibao": "残疾证、病历等证明"}
