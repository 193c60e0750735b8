"""The one state-machine helper (core.workflow) and the machines every feature declares with it."""
import pytest

from threeassets.alerts.rules import ALERT_FLOW
from threeassets.assets.rules import CARD_FLOW, DISPOSAL_FLOW
from threeassets.claims.rules import CLAIM_FLOW
from threeassets.closing.rules import PERIOD_FLOW
from threeassets.contracts.rules import CONTRACT_FLOW
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.core.workflow import Workflow, permitted
from threeassets.disclosure.rules import NOTICE_FLOW
from threeassets.inforequests.rules import FLOW as INFO_REQUEST_FLOW
from threeassets.kiosk.rules import NOTICE_FLOW as KIOSK_NOTICE_FLOW
from threeassets.ledger.rules import VOUCHER_FLOW
from threeassets.subsidies.rules import BATCH_FLOW
from threeassets.windows.rules import CASE_FLOW

DOOR = Workflow({("shut", "open"): "open", ("open", "shut"): "shut", ("shut", "remove"): None},
                "门{state}，不能{action}", {"shut": "关着", "open": "开着"}, {"open": "开门", "shut": "关门"},
                {("open", "open"): "门已经开着"})

MACHINES = {"voucher": VOUCHER_FLOW, "case": CASE_FLOW, "claim": CLAIM_FLOW, "notice": NOTICE_FLOW,
            "contract": CONTRACT_FLOW, "card": CARD_FLOW, "disposal": DISPOSAL_FLOW, "alert": ALERT_FLOW,
            "period": PERIOD_FLOW, "subsidy list": BATCH_FLOW,
            "kiosk notice": KIOSK_NOTICE_FLOW, "info request": INFO_REQUEST_FLOW}


def test_next_follows_the_table():
    assert DOOR.next("shut", "open") == "open"
    assert DOOR.next("open", "shut") == "shut"
    assert DOOR.next("shut", "remove") is None  # the record goes away


def test_a_move_missing_from_the_table_is_refused_in_words():
    with pytest.raises(IllegalMove) as exc:
        DOOR.next("open", "remove")
    assert str(exc.value) == "门开着，不能remove"  # an action without a label is named as is
    assert isinstance(exc.value, RuleError)
    with pytest.raises(IllegalMove, match="^门已经开着$"):  # a pair's own sentence wins
        DOOR.next("open", "open")
    assert DOOR.why_not("shut", "shut") == "门关着，不能关门"
    assert DOOR.why_not("shut", "open") is None


def test_actions_states_and_allows():
    assert DOOR.actions("shut") == ["open", "remove"]
    assert DOOR.actions("open") == ["shut"]
    assert DOOR.actions("gone") == []
    assert DOOR.states() == {"shut", "open"}
    assert DOOR.allows("shut", "remove") and not DOOR.allows("open", "remove")


def test_permitted_needs_the_permission_and_no_refusal():
    needs = {"open": "door.use", "shut": "door.use", "remove": "door.admin"}
    assert permitted(["open", "remove"], {"door.use"}, needs, lambda a: None) == ["open"]
    assert permitted(["open", "remove"], {"door.use", "door.admin"}, needs, lambda a: None) == ["open", "remove"]
    assert permitted(["open", "remove"], {"door.use", "door.admin"}, needs,
                     lambda a: "不行" if a == "open" else None) == ["remove"]
    assert permitted(["paint"], {"door.use"}, needs, lambda a: None) == []  # an action nobody may take


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_every_feature_machine_labels_its_states_and_refuses_in_chinese(name):
    flow = MACHINES[name]
    assert isinstance(flow, Workflow)
    assert flow.states() <= set(flow.state_labels), f"{name}: a state without a label"
    for state in flow.state_labels:
        for action in {a for _s, a in flow.transitions}:
            if not flow.allows(state, action):
                why = flow.why_not(state, action)
                assert why and not why.isascii(), (name, state, action, why)
                with pytest.raises(IllegalMove):
                    flow.next(state, action)
