"""惠农政策 on the kiosk, from the subsidy side's public read API (threeassets/subsidies/public.py, masked
dataclasses only): policies by level, department or keyword (pinyin initials too); each village's published
payment lists; and "my household": a household's own payments by the head's name and the ID's last four digits,
throttled, answering alike for a household that does not exist and for wrong digits."""
from __future__ import annotations

from flask import abort, current_app, request, url_for
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from threeassets.core import clock, throttle
from threeassets.core.backoff import NO_WAIT, wait_text
from threeassets.core.db import db, transaction
from threeassets.core.forms import Form, most
from threeassets.core.periods import typed
from threeassets.kiosk import rules, search
from threeassets.kiosk.routes import count, kiosk_township, page, public_bp
from threeassets.kiosk.routes.villages import township_village
from threeassets.subsidies import public as subsidies
from threeassets.windows.catalogue import item_by_code

LEVELS = ["中央", "省", "市", "县"]
NOT_FOUND = "未查到符合条件的补贴记录。请核对户主姓名和身份证号后四位；如有疑问，请到服务大厅窗口咨询。"
BUSY = "查询过于频繁，请{wait}后再试。"


@public_bp.get("/public/t/<code>/policies")
def policies(code: str):
    """The township's policies: ?level=中央|省|市|县, ?dept= a department, ?q= a keyword or pinyin initials."""
    township = kiosk_township(code)
    count("policy", "list")
    level = request.args.get("level") if request.args.get("level") in LEVELS else None
    departments = subsidies.departments(db.session, township.id)
    dept = request.args.get("dept") if request.args.get("dept") in departments else None
    query = search.clean(request.args.get("q"))
    cards = subsidies.policies(db.session, township.id, level=level, department=dept, keyword=query or None)
    return page("kiosk/policies.html", cards=cards, levels=LEVELS, level=level, departments=departments, dept=dept,
                query=query, back=url_for("kiosk_public.home", code=code))


@public_bp.get("/public/t/<code>/policies/<int:policy_id>")
def policy(code: str, policy_id: int):
    """One policy in full: basis, who qualifies, the standard, the years, how it is paid, where to ask (the hall's
    service item the policy names, by its name, linked to its guide when it is active)."""
    township = kiosk_township(code)
    card = subsidies.policy(db.session, township.id, policy_id)
    if card is None:
        abort(404)
    count("policy", "policy", card.id)
    item = item_by_code(db.session, township.id, card.service_item) if card.service_item else None
    return page("kiosk/policy.html", card=card, item=item if item is not None and item.active else None,
                back=url_for("kiosk_public.policies", code=code))


@public_bp.get("/public/t/<code>/payments")
def payments(code: str):
    """补贴发放名单: choose a village."""
    township = kiosk_township(code)
    count("policy", "lists")
    return page("kiosk/payment_villages.html", villages=list(township.villages),
                back=url_for("kiosk_public.policies", code=code))


@public_bp.get("/public/t/<code>/villages/<int:village_id>/lists")
def village_lists(code: str, village_id: int):
    """A village's published payment lists (a batch in draft is never listed)."""
    village = township_village(kiosk_township(code), village_id)
    count("policy", "lists")
    lists = subsidies.published_lists(db.session, village.id)
    return page("kiosk/lists.html", village=village, lists=lists, back=url_for("kiosk_public.payments", code=code))


@public_bp.get("/public/t/<code>/villages/<int:village_id>/lists/<int:batch_id>")
def village_list(code: str, village_id: int, batch_id: int):
    """One published list of a village: each household's name, masked ID, quantity, rate, amount, payment."""
    village = township_village(kiosk_township(code), village_id)
    found = subsidies.public_list(db.session, village.id, batch_id)
    if found is None:
        abort(404)
    count("policy", "lists")
    return page("kiosk/list.html", village=village, plist=found, short=rules.short_number,
                phone=found.supervision_phone,  # the township's published number
                back=url_for("kiosk_public.village_lists", code=code, village_id=village.id))


class HouseholdForm(Form):
    """The head's name and the last four characters of the ID (a digit or X at the end)."""

    head_name = StringField("户主姓名", validators=[DataRequired("请输入户主姓名"), most(50, "户主姓名")])
    id_last4 = StringField("户主身份证号后四位", filters=[typed], validators=[  # ０８０６ reads as 0806
        DataRequired("请输入身份证号后四位"), Regexp(r"^[0-9]{3}[0-9Xx]$", message="请输入4位（最后一位可以是X）")])


def _lookup(township_id: int, form: HouseholdForm) -> tuple[list | None, str | None, int]:
    """(the household's payments, message, HTTP status) under rules.HOUSEHOLD_THROTTLE (a hall's kiosk spared the
    per-address count). Not found, wrong digits and a household without payments all read the same, and all
    count as a miss: a right name and digits that cleared the count would tell a guesser the household exists."""
    subject = rules.household_subject(township_id, form.head_name.data)[:throttle.KEY_LENGTH]
    now, address = clock.now(), request.remote_addr
    policy = rules.household_throttle(current_app.config.get("HOUSEHOLD_THROTTLE", rules.HOUSEHOLD_THROTTLE),
                                      rules.at_kiosk(address, current_app.config.get("KIOSK_ADDRESSES") or ()))
    with transaction(db.session):
        owed = throttle.wait(db.session, rules.HOUSEHOLD_SCOPE, subject, address, now)
        if owed > NO_WAIT:
            return None, BUSY.format(wait=wait_text(owed)), 429
        found = subsidies.household_payments(db.session, township_id, form.head_name.data,
                                             form.id_last4.data.upper())
        if found:
            throttle.succeeded(db.session, rules.HOUSEHOLD_SCOPE, subject, address, now)
        else:
            throttle.failed(db.session, policy, rules.HOUSEHOLD_SCOPE, subject, address, now)
    return (found, None, 200) if found else (None, NOT_FOUND, 200)


@public_bp.route("/public/t/<code>/household", methods=["GET", "POST"])
def household(code: str):
    """我家补贴查询: a household's own entries on the published lists, nothing else of it."""
    township = kiosk_township(code)
    form = HouseholdForm()
    found, message, http = None, None, 200
    if form.validate_on_submit():
        count("policy", "household")
        found, message, http = _lookup(township.id, form)
    return page("kiosk/household.html", form=form, found=found, message=message, http_status=http,
                back=url_for("kiosk_public.policies", code=code))
