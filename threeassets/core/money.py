"""Money rules: parsing user amounts, formatting with separators, and the 大写 (capital) form."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
MAX_AMOUNT = Decimal("999999999999.99")
ZERO_RATE = Decimal(0)
MAX_PERCENT = Decimal(1_000_000)  # far above any rate; keeps quantize within the context's precision
DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ["", "拾", "佰", "仟"]
BIG_UNITS = ["", "万", "亿", "万亿"]


class AmountError(ValueError):
    """An amount a user typed is not acceptable; the message is shown to the user."""


def parse_amount(text: str | None, allow_negative: bool = False) -> Decimal | None:
    """Parse a typed amount ('1,234.5', '１２３') into Decimal; blank is None; errors speak Chinese."""
    if text is None:
        return None
    s = str(text).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    s = s.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    if s == "":
        return None
    if not PLAIN_NUMBER.match(s):  # no exponents, NaN or Infinity: only what a clerk would type
        raise AmountError(f"“{text}”不是有效金额")
    value = Decimal(s)
    if abs(value) > MAX_AMOUNT:
        raise AmountError(f"金额过大：最多 {MAX_AMOUNT:,} 元")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise AmountError("金额最多两位小数")
    if value < 0 and not allow_negative:
        raise AmountError("金额不能为负数（红字冲销请用冲销功能）")
    return value.quantize(CENT)


def parse_percent(text: str | None, what: str = "比率") -> Decimal | None:
    """A rate as people write it, in percent: '5', '5%' and '5％' (and full-width digits) are all 5; blank is None.
    A bare number between 0 and 1 is ambiguous (0.05 may mean 5% or 0.05%) and refused with how to write it.
    At most two decimals; the message names the rate (`what`), never an amount."""
    if text is None:
        return None
    s = str(text).strip().translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%")).replace(" ", "")
    if s == "":
        return None
    percent = s.endswith("%")
    number = s[:-1] if percent else s
    if not PLAIN_NUMBER.match(number):
        raise AmountError(f"{what}“{text}”无效：请写成百分数，如 5 或 5%")
    value = Decimal(number)
    if abs(value) > MAX_PERCENT:
        raise AmountError(f"{what}“{text[:20]}”过大")
    if not percent and ZERO_RATE < value < 1:
        raise AmountError(f"{what}“{text}”有歧义：请写成百分数，如 5% 写作 5 或 5%，0.5% 写作 0.5%")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise AmountError(f"{what}最多两位小数（百分数）")
    return value.quantize(CENT)


def to_fen(value: Decimal) -> int:
    """Decimal yuan to integer fen (exact; refuses sub-fen values)."""
    fen = value * 100
    if fen != fen.to_integral_value():
        raise AmountError("金额最多两位小数")
    return int(fen)


def from_fen(fen: int | None) -> Decimal:
    """Integer fen to Decimal yuan with two places (None, an empty SQL SUM, is zero)."""
    return Decimal(int(fen or 0)).scaleb(-2)


def fmt(value: Decimal | int | None, blank_zero: bool = False) -> str:
    """Format an amount with thousands separators and two decimals: 12,345.67."""
    if value is None:
        return ""
    value = Decimal(value)
    if blank_zero and value == 0:
        return ""
    return f"{value.quantize(CENT):,.2f}"


def plain(value: Decimal | None) -> str:
    """Format an amount as a plain number with two decimals (the export contract)."""
    return f"{(value or Decimal(0)).quantize(CENT):.2f}"


def _four_digits(n: int) -> str:
    """Capital form of 0 < n < 10000 with inner zeros collapsed (e.g. 1005 → 壹仟零伍)."""
    out, zero = [], False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + SMALL_UNITS[pos])
    return "".join(out)


def _integer_upper(n: int) -> str:
    """Capital form of a non-negative integer number of yuan, grouped by 万 and 亿."""
    if n == 0:
        return ""
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, need_zero = [], False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out.append("零")
        out.append(_four_digits(g) + BIG_UNITS[idx])
        need_zero = False
    return "".join(out)


def to_chinese_upper(value: Decimal) -> str:
    """Amount in 大写 as written on vouchers and cheques: 壹万贰仟叁佰肆拾伍元陆角柒分; 负 for red amounts."""
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    prefix = "负" if value < 0 else ""
    fen_total = abs(int(value * 100))
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    head = _integer_upper(yuan)
    text = head + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return prefix + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return prefix + text
