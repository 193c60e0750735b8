"""Pure access rules: permissions per role, what each scope covers, valid role/scope combinations, the names a
device cookie remembers."""
import pytest

from threeassets.auth.rules import (
    HEAD_GRANTABLE,
    PERMISSIONS,
    SCOPE,
    Role,
    can,
    covers_township,
    covers_village,
    remembered,
    scope_problem,
)

READ_PERMISSIONS = {"books.read", "township.reports", "audit.read", "registers.read", "alerts.read",
                    "attachments.read", "catalogue.read", "cases.oversee", "claims.read", "disclosure.read",
                    "policies.read", "households.read", "subsidies.read", "kiosk.read", "county.read",
                    "inforequests.read"}
WRITE_PERMISSIONS = set(PERMISSIONS) - READ_PERMISSIONS

# Who may do what, written from docs/design.md §1 (not copied from PERMISSIONS).
VILLAGE_READS = {"books.read", "registers.read", "alerts.read", "attachments.read", "catalogue.read", "claims.read",
                 "disclosure.read", "policies.read", "households.read", "subsidies.read"}
AGENCY_READS = VILLAGE_READS | {"township.reports", "kiosk.read"}  # kiosk: the use counts, the notices
EXPECTED = {
    Role.ADMIN: AGENCY_READS | {"audit.read", "users.manage", "orgs.manage", "cases.oversee", "calendar.manage",
                                "county.read"},
    Role.COUNTY_SUPERVISOR: AGENCY_READS | {"audit.read", "cases.oversee", "county.read", "inforequests.read"},
    Role.AGENCY_HEAD: AGENCY_READS | {"voucher.prepare", "voucher.review", "voucher.post", "voucher.reverse",
                                      "accounts.edit", "audit.read", "users.manage", "period.close",
                                      "period.reopen", "settings.edit", "registers.edit", "disposal.approve",
                                      "alerts.ack", "catalogue.edit", "cases.handle", "cases.oversee",
                                      "disclosure.prepare", "disclosure.publish", "policies.edit",
                                      "households.edit", "households.pii", "subsidies.edit", "kiosk.edit",
                                      "inforequests.read", "inforequests.handle"},
    Role.AGENCY_ACCOUNTANT: AGENCY_READS | {"voucher.prepare", "voucher.post", "voucher.reverse", "accounts.edit",
                                            "period.close", "registers.edit", "alerts.ack", "cases.handle",
                                            "disclosure.prepare", "disclosure.publish", "households.edit",
                                            "households.pii", "subsidies.edit"},
    Role.REVIEWER: AGENCY_READS | {"voucher.review", "cases.handle"},
    # the window clerk sees the catalogue and the receipts of the claims he receives, not the books
    # he answers 惠农补贴咨询 from the policy catalogue, but reads no household or list
    # he writes the township's 党务/政务 notices for the kiosk with the head
    # he receives and answers requests for disclosure (依申请公开) with the head; the county supervisor reads them
    Role.WINDOW_CLERK: {"attachments.read", "catalogue.read", "cases.handle", "claims.read", "policies.read",
                        "kiosk.read", "kiosk.edit", "inforequests.read", "inforequests.handle"},
    Role.VILLAGE_ACCOUNTANT: VILLAGE_READS | {"claims.submit"},
    Role.VILLAGE_BOARD: VILLAGE_READS | {"disclosure.signoff"},
}
PAIRS = [(r, p) for r in Role for p in PERMISSIONS]


@pytest.mark.parametrize("role, permission", PAIRS, ids=[f"{r}-{p}" for r, p in PAIRS])
def test_can(role, permission):
    assert can(role, permission) == (permission in EXPECTED[role])
    assert can(str(role), permission) == (permission in EXPECTED[role])


def test_write_permissions_exist():
    assert {"voucher.prepare", "voucher.review", "voucher.post", "voucher.reverse", "accounts.edit",
            "users.manage", "orgs.manage"} <= WRITE_PERMISSIONS


@pytest.mark.parametrize("permission", sorted(WRITE_PERMISSIONS))
def test_supervisor_never_writes(permission):
    assert not can(Role.COUNTY_SUPERVISOR, permission)


def test_supervisor_reads_everything():
    assert all(can(Role.COUNTY_SUPERVISOR, p) for p in READ_PERMISSIONS)


def test_preparer_and_reviewer_roles_differ():
    # The accountant prepares but does not review; the reviewer reviews but does not prepare or post.
    assert can(Role.AGENCY_ACCOUNTANT, "voucher.prepare") and not can(Role.AGENCY_ACCOUNTANT, "voucher.review")
    assert can(Role.REVIEWER, "voucher.review")
    assert not can(Role.REVIEWER, "voucher.prepare") and not can(Role.REVIEWER, "voucher.post")


def test_unknown_role_has_nothing():
    assert not any(can("janitor", p) for p in PERMISSIONS)


def test_head_cannot_grant_admin_or_supervisor():
    assert Role.ADMIN not in HEAD_GRANTABLE and Role.COUNTY_SUPERVISOR not in HEAD_GRANTABLE


def test_every_role_has_a_scope():
    assert set(SCOPE) == set(Role)


# ---------------------------------------------------------------- covers_village / covers_township
T1, T2, V1, V2 = 1, 2, 10, 20  # village V1 is in T1, V2 in T2

ALL_ROLES = [Role.ADMIN, Role.COUNTY_SUPERVISOR]
TOWNSHIP_ROLES = [Role.AGENCY_HEAD, Role.AGENCY_ACCOUNTANT, Role.REVIEWER, Role.WINDOW_CLERK]
VILLAGE_ROLES = [Role.VILLAGE_ACCOUNTANT, Role.VILLAGE_BOARD]


def test_scope_groups_match_the_table():
    assert {r for r in Role if SCOPE[r] == "all"} == set(ALL_ROLES)
    assert {r for r in Role if SCOPE[r] == "township"} == set(TOWNSHIP_ROLES)
    assert {r for r in Role if SCOPE[r] == "village"} == set(VILLAGE_ROLES)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_all_scope_covers_every_village_and_township(role):
    assert covers_village(role, None, None, T1, V1)
    assert covers_village(role, None, None, T2, V2)
    assert covers_township(role, None, T1) and covers_township(role, None, T2)


@pytest.mark.parametrize("role", TOWNSHIP_ROLES)
def test_township_scope(role):
    assert covers_village(role, T1, None, T1, V1)
    assert not covers_village(role, T1, None, T2, V2)
    assert not covers_village(role, None, None, T1, V1)  # a township role without a township sees nothing
    assert covers_township(role, T1, T1)
    assert not covers_township(role, T1, T2)
    assert not covers_township(role, None, T1)


@pytest.mark.parametrize("role", VILLAGE_ROLES)
def test_village_scope(role):
    assert covers_village(role, T1, V1, T1, V1)
    assert not covers_village(role, T1, V1, T1, 11)  # another village of the same township
    assert not covers_village(role, T1, V1, T2, V2)
    assert not covers_village(role, T1, None, T1, V1)
    # a village user never sees the township's consolidated views, not even of his own township
    assert not covers_township(role, T1, T1)


def test_unknown_role_covers_nothing():
    assert not covers_village("janitor", T1, V1, T1, V1)
    assert not covers_township("janitor", T1, T1)


# ---------------------------------------------------------------- scope_problem

@pytest.mark.parametrize("role", ALL_ROLES)
def test_scope_problem_all(role):
    assert scope_problem(role, None, None) is None
    assert scope_problem(role, T1, None) is not None
    assert scope_problem(role, None, V1) is not None


@pytest.mark.parametrize("role", TOWNSHIP_ROLES)
def test_scope_problem_township(role):
    assert scope_problem(role, T1, None) is None
    assert scope_problem(role, None, None) is not None
    assert scope_problem(role, T1, V1) is not None
    assert scope_problem(role, None, V1) is not None


@pytest.mark.parametrize("role", VILLAGE_ROLES)
def test_scope_problem_village(role):
    assert scope_problem(role, T1, V1) is None
    assert scope_problem(role, None, V1) is None
    assert scope_problem(role, T1, None) is not None
    assert scope_problem(role, None, None) is not None


def test_scope_problem_unknown_role():
    assert scope_problem("janitor", None, None) == "未知角色"


@pytest.mark.parametrize("names, username, keep, result", [
    ([], "head", 10, ["head"]),
    (["head", "clerk"], "head", 10, ["clerk", "head"]),  # the latest last
    ([f"u{n}" for n in range(10)], "head", 10, [f"u{n}" for n in range(1, 10)] + ["head"]),  # the oldest goes
    (["a", "b"], "c", 1, ["c"]),
])
def test_a_device_cookie_remembers_the_last_names(names, username, keep, result):
    assert remembered(names, username, keep) == result
