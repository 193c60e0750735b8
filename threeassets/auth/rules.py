"""Pure access rules: roles, what each may do, which villages a user's scope covers, and how failed logins slow
the guesser down."""
from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from threeassets.core.backoff import Policy, Rule


class Role(StrEnum):
    """The roles a user can have; each is scoped (see SCOPE)."""

    ADMIN = "admin"
    AGENCY_HEAD = "agency_head"
    AGENCY_ACCOUNTANT = "agency_accountant"
    REVIEWER = "reviewer"
    WINDOW_CLERK = "window_clerk"
    VILLAGE_ACCOUNTANT = "village_accountant"
    VILLAGE_BOARD = "village_board"
    COUNTY_SUPERVISOR = "county_supervisor"


ROLE_LABELS = {
    Role.ADMIN: "系统管理员", Role.AGENCY_HEAD: "中心主任", Role.AGENCY_ACCOUNTANT: "代理会计",
    Role.REVIEWER: "审核员", Role.WINDOW_CLERK: "窗口受理员", Role.VILLAGE_ACCOUNTANT: "村报账员",
    Role.VILLAGE_BOARD: "村委会/民主理财小组", Role.COUNTY_SUPERVISOR: "县农经站监管",
}

# Which kind of organisation a role is bound to.
SCOPE = {
    Role.ADMIN: "all", Role.COUNTY_SUPERVISOR: "all",
    Role.AGENCY_HEAD: "township", Role.AGENCY_ACCOUNTANT: "township", Role.REVIEWER: "township",
    Role.WINDOW_CLERK: "township",
    Role.VILLAGE_ACCOUNTANT: "village", Role.VILLAGE_BOARD: "village",
}

BOOK_READERS = {Role.ADMIN, Role.COUNTY_SUPERVISOR, Role.AGENCY_HEAD, Role.AGENCY_ACCOUNTANT, Role.REVIEWER,
                Role.VILLAGE_ACCOUNTANT, Role.VILLAGE_BOARD}

# Permission → roles holding it. Supervisors read everything and write nothing.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "books.read": frozenset(BOOK_READERS),
    "voucher.prepare": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "voucher.review": frozenset({Role.REVIEWER, Role.AGENCY_HEAD}),
    "voucher.post": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "voucher.reverse": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "accounts.edit": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "period.close": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "period.reopen": frozenset({Role.AGENCY_HEAD}),
    "township.reports": frozenset({Role.ADMIN, Role.COUNTY_SUPERVISOR, Role.AGENCY_HEAD,
                                   Role.AGENCY_ACCOUNTANT, Role.REVIEWER}),
    "audit.read": frozenset({Role.ADMIN, Role.AGENCY_HEAD, Role.COUNTY_SUPERVISOR}),
    "users.manage": frozenset({Role.ADMIN, Role.AGENCY_HEAD}),
    "orgs.manage": frozenset({Role.ADMIN}),
    "calendar.manage": frozenset({Role.ADMIN}),  # the State Council's holiday arrangement, once a year
    "settings.edit": frozenset({Role.AGENCY_HEAD}),
    # three-assets registers (issue 4): staff keep them, villages and supervisors read them
    "registers.read": frozenset(BOOK_READERS),
    "registers.edit": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "disposal.approve": frozenset({Role.AGENCY_HEAD}),
    "alerts.read": frozenset(BOOK_READERS),
    "alerts.ack": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "attachments.read": frozenset(BOOK_READERS | {Role.WINDOW_CLERK}),
    # service windows (issue 5)
    "catalogue.read": frozenset(BOOK_READERS | {Role.WINDOW_CLERK}),
    "catalogue.edit": frozenset({Role.AGENCY_HEAD}),
    "cases.handle": frozenset({Role.WINDOW_CLERK, Role.AGENCY_HEAD, Role.AGENCY_ACCOUNTANT, Role.REVIEWER}),
    "cases.oversee": frozenset({Role.AGENCY_HEAD, Role.COUNTY_SUPERVISOR, Role.ADMIN}),
    "claims.submit": frozenset({Role.VILLAGE_ACCOUNTANT}),
    "claims.read": frozenset(BOOK_READERS | {Role.WINDOW_CLERK}),
    # disclosure notices (issue 6)
    "disclosure.read": frozenset(BOOK_READERS),
    "disclosure.prepare": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "disclosure.signoff": frozenset({Role.VILLAGE_BOARD}),
    "disclosure.publish": frozenset({Role.AGENCY_HEAD, Role.AGENCY_ACCOUNTANT}),
    # 惠农政策, 农户 and 补贴发放 (issue 13): the window answers questions from the catalogue, the head keeps it;
    # the agency keeps households and lists, villages read their own (IDs masked); only the agency's head and
    # accountant see a whole resident ID, and every such view is audited
    "policies.read": frozenset(BOOK_READERS | {Role.WINDOW_CLERK}),
    "policies.edit": frozenset({Role.AGENCY_HEAD}),
    "households.read": frozenset(BOOK_READERS),
    "households.edit": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    "households.pii": frozenset({Role.AGENCY_HEAD, Role.AGENCY_ACCOUNTANT}),
    "subsidies.read": frozenset(BOOK_READERS),
    "subsidies.edit": frozenset({Role.AGENCY_ACCOUNTANT, Role.AGENCY_HEAD}),
    # requests for disclosure (依申请公开): the window and the head handle them, the county supervisor reads them
    "inforequests.read": frozenset({Role.WINDOW_CLERK, Role.AGENCY_HEAD, Role.COUNTY_SUPERVISOR}),
    "inforequests.handle": frozenset({Role.WINDOW_CLERK, Role.AGENCY_HEAD}),
    # the public kiosk (issue 13): the hall writes the township's 党务/政务 notices; the agency reads the use counts
    "kiosk.read": frozenset({Role.ADMIN, Role.COUNTY_SUPERVISOR, Role.AGENCY_HEAD, Role.AGENCY_ACCOUNTANT,
                             Role.REVIEWER, Role.WINDOW_CLERK}),
    "kiosk.edit": frozenset({Role.AGENCY_HEAD, Role.WINDOW_CLERK}),
    # the county's view (县农经站): every township side by side; no county-level head role exists, so the
    # county supervisor and the administrator (both scoped to everything) read it
    "county.read": frozenset({Role.COUNTY_SUPERVISOR, Role.ADMIN}),
}

# Failed logins (core/backoff.py; docs/security.md "Login throttling" says it in words). An address may get 20
# passwords wrong — a township office behind one address makes typos too — then waits 1 s, 2 s, 4 s … at most
# 15 minutes, whatever usernames it tries. An account guessed at more than 5 times (from anywhere) makes every
# address that has got it wrong twice wait 1 s, 2 s, 4 s … (doubling with the account's count), at most 15
# minutes; an address that has not — the owner at his desk — logs in as usual. Past 60 (many addresses guessing,
# each a little), each failure makes every browser that has not logged in as the account before wait the
# account's delay (15 minutes by then): guesses at one account stay well under 100 an hour, however many
# addresses make them, while the owner's own browsers (a device cookie) are not held back. Counts drain by one
# per 10 minutes.
LOGIN_THROTTLE = Policy(
    address=Rule(free=20, base=timedelta(seconds=1), cap=timedelta(minutes=15), leak=timedelta(minutes=10)),
    subject=Rule(free=5, base=timedelta(seconds=1), cap=timedelta(minutes=15), leak=timedelta(minutes=10)),
    forgiven=1, strangers=60, device_misses=5)
DEVICE_NAMES = 10  # the usernames one browser's device cookie remembers (a shared office computer)


def remembered(names: list[str], username: str, keep: int = DEVICE_NAMES) -> list[str]:
    """The usernames a browser's device cookie lists once `username` has logged in from it: his last, at most
    `keep` (the oldest forgotten first)."""
    return ([n for n in names if n != username] + [username])[-keep:]


# Roles an agency head may hand out (never admin or supervisor).
HEAD_GRANTABLE = [Role.AGENCY_HEAD, Role.AGENCY_ACCOUNTANT, Role.REVIEWER, Role.WINDOW_CLERK,
                  Role.VILLAGE_ACCOUNTANT, Role.VILLAGE_BOARD]


def can(role: str, permission: str) -> bool:
    """Whether a role holds a permission."""
    return role in PERMISSIONS[permission]


def permissions_of(role: str) -> frozenset[str]:
    """Every permission a role holds: what the pages' allowed-action rules are given."""
    return frozenset(p for p, roles in PERMISSIONS.items() if role in roles)


def covers_village(role: str, township_id: int | None, village_id: int | None,
                   target_township_id: int, target_village_id: int) -> bool:
    """Whether a user's scope includes a village (given the village's township)."""
    scope = SCOPE.get(role)
    if scope == "all":
        return True
    if scope == "township":
        return township_id is not None and township_id == target_township_id
    if scope == "village":
        return village_id is not None and village_id == target_village_id
    return False


def covers_township(role: str, township_id: int | None, target_township_id: int) -> bool:
    """Whether a user's scope includes a whole township."""
    scope = SCOPE.get(role)
    return scope == "all" or (scope == "township" and township_id == target_township_id)


def scope_problem(role: str, township_id: int | None, village_id: int | None) -> str | None:
    """Why a role/scope combination is invalid, or None when it is fine."""
    scope = SCOPE.get(role)
    if scope is None:
        return "未知角色"
    if scope == "township" and (township_id is None or village_id is not None):
        return "该角色须归属一个乡镇（不能指定村）"
    if scope == "village" and village_id is None:
        return "该角色须归属一个村"
    if scope == "all" and (township_id is not None or village_id is not None):
        return "该角色不归属具体乡镇或村"
    return None
