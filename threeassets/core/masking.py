"""What a public page or paper must never show whole: a resident ID, a bank card or account number, a mobile
number. One rule for every feature: how each is masked (`mask_id`, `mask_bank`, `mask_mobile`, and `mask_text`
for free text such as a voucher summary), and the checks used where staff type text the public will read (a
notice is refused, not silently changed) and by the tests that crawl every public page and PDF.

Masks: an ID keeps its first 6 and last 4 characters (the birth date, 7th to 14th, is hidden: 340121********1234);
a card or account its last 4 digits; a mobile its first 3 and last 4 (138****5678). Landlines, amounts, dates and
the township's own supervision phone are left as written.

A check that flagged every long number would stop the clerks writing dates and amounts, and one that flagged
none would let a card number through; so numbers are read in the contexts where long digit runs are legitimate
and everything else longer than four digits is suspect:

- an 18-character ID (17 digits and a digit or X) or an 11-digit mobile (1[3-9]…) anywhere is a finding;
- a card number copied from a card in groups of four (6222 0212 3456 7890) is a finding;
- what is left of a digit run longer than 4 after taking out amounts (12345.67, 1,234,567, 50000元), case
  numbers (TA-20261126-0001), landlines with their area code (0551-12345678), organisations' credit codes
  (93340121MA2N01YC8K), numbers as the masks here print them (340121********1234), hashes and web addresses
  is a finding ("可能是银行卡号").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ID18 = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
# In free text: an 18-character ID (17 digits and a digit or X) or an old 15-digit one standing alone, masked as
# an ID whether or not its check digit is right (a mistyped ID is still personal); bank numbers are 13 or more
# digits in a row, or four or more groups of four as copied from a card (cards have 16 to 19 digits).
ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
BANK_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{4}(?:[ -]\d{4}){3,}(?:[ -]\d{1,4})?|\d{13,})(?![0-9A-Za-z])")
MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z.])(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z]|\.\d)")
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ－", "0123456789Xx-")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
GROUPED = re.compile(r"(?<!\d)\d{4}(?:[ \-]\d{4}){3,}(?:[ \-]\d{1,4})?(?!\d)")
LONG_RUN = re.compile(r"(?<!\d)\d{5,}(?!\d)")
# Contexts in which long digit runs are not personal numbers; taken out before LONG_RUN looks.
HASH = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")
ADDRESS = re.compile(r"(?:https?://|/verify/|/public/)\S*")
CREDIT_CODE = re.compile(r"(?<![0-9A-Z])(?=[0-9A-Z]{18}(?![0-9A-Z]))(?=[0-9A-Z]*[A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}"
                         r"[0-9A-HJ-NPQRTUWXY]{10}")
MASKED = re.compile(r"(?<!\d)\d{0,6}\*{3,}[\dXx]{0,4}(?![\dXx])")  # what the masks here print: 340121********1234
CASE_NUMBER = re.compile(r"(?<![0-9A-Za-z])[A-Z][A-Z0-9]*-\d{8}-\d{4}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-(?:\d{7,8}|\d{3,4}[ \-]\d{4})(?!\d)")
AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])\d+\.\d{1,2}(?![\d.])"
                    r"|(?<!\d)\d+(?=\s*(?:万?元|亩|人|户|头|只|株|个|次|份|件|天|吨|公斤|千克|平方米|立方米|米|%))")

LABELS = {"id": "身份证号", "mobile": "手机号", "bank": "银行卡号或账号"}


@dataclass(frozen=True)
class Finding:
    """One number that must not be shown: its kind (id, mobile, bank) and the text found."""

    kind: str
    text: str

    @property
    def label(self) -> str:
        """The kind in words."""
        return LABELS[self.kind]


def _blank(pattern: re.Pattern, text: str) -> str:
    """The text with every match of the pattern replaced by a space (so neighbours do not join)."""
    return pattern.sub(" ", text)


def strict_findings(text: str) -> list[Finding]:
    """IDs, mobiles and grouped card numbers in a text, wherever they stand (addresses and hashes aside)."""
    text = _blank(HASH, _blank(ADDRESS, text or ""))
    found = [Finding("id", m.group()) for m in ID18.finditer(text)]
    found += [Finding("mobile", m.group()) for m in MOBILE.finditer(text)]
    found += [Finding("bank", m.group()) for m in GROUPED.finditer(text)]
    return found


def findings(text: str) -> list[Finding]:
    """Every number in a text that a public page must not show (see the module's words)."""
    found = strict_findings(text)
    rest = _blank(HASH, _blank(ADDRESS, text or ""))
    for pattern in (ID18, MOBILE, GROUPED, MASKED, CREDIT_CODE, CASE_NUMBER, LANDLINE, AMOUNT):
        rest = _blank(pattern, rest)
    return found + [Finding("bank", m.group()) for m in LONG_RUN.finditer(rest)]


def refusal(label: str, text: str) -> str | None:
    """Why staff text the public will read is refused, naming the field and what was found (None: it may be
    shown): the one sentence of every form whose text goes on a public page (a kiosk notice, a policy, a file
    name)."""
    found = findings(text)
    if not found:
        return None
    shown = "、".join(f"{f.label}“{f.text}”" for f in found[:3])
    return (f"{label}中有{shown}：公开内容不能出现完整的身份证号、银行卡号、手机号（可写成 138****1234；"
            f"金额请带单位或小数，如 150000元、150000.00；日期请写成 2024-05-10）")


def mask_id(number) -> str:
    """A resident ID as every list, export, PDF and public page shows it: 340121********1234 (an old 15-digit one
    340121*****1234); a shorter text keeps only its last 4, and one of 8 characters or fewer is starred whole."""
    n = str(number or "").strip()
    if len(n) <= 8:
        return "*" * len(n)
    keep = 6 if len(n) >= 15 else 0
    return n[:keep] + "*" * (len(n) - keep - 4) + n[-4:]


def mask_bank(number) -> str:
    """A bank card or account number with only its last 4 digits shown (spaces and dashes dropped)."""
    digits = re.sub(r"[ -]", "", str(number or "").strip())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_mobile(text: str) -> str:
    """A text with every mobile number shown as 138****1234."""
    return MOBILE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text or "")


def mask_text(text) -> str:
    """A free text (voucher summary, name, note) with every ID, bank number and mobile in it masked. Full-width
    digits are read as digits first (an input method's full-width mode must not carry a number through)."""
    if not text:
        return text or ""
    out = str(text)
    if any("０" <= c <= "９" for c in out):
        out = out.translate(FULL_WIDTH_DIGITS)
    out = ID_IN_TEXT.sub(lambda m: mask_id(m.group(1)), out)
    out = BANK_IN_TEXT.sub(lambda m: mask_bank(m.group(1)), out)
    return MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", out)


def public_phone(phone: str) -> str:
    """A window's phone as the public sees it: an office line as typed, a mobile masked (a clerk's own)."""
    return mask_mobile((phone or "").strip())
