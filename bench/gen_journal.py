"""The synthetic journal of the benchmarks: villages × vouchers of a year, as a voucher-import CSV and as an
hledger journal of the same entries. The same seed gives the same output.

CSV columns: org_code,date,voucher_ref,summary,account_code,debit,credit
Each (org_code, voucher_ref) is one balanced voucher. Amounts have 2 decimals.
Usage: gen_journal.py VILLAGES VOUCHERS_PER_VILLAGE YEAR OUT_PREFIX [SEED] [FIRST]
(FIRST: the number of the first village code, V00000 by default; a city's townships take consecutive ranges.)
"""
import csv
import random
import sys
from decimal import Decimal

# (debit account, credit account, summary) templates over the 2023 chart of accounts
TEMPLATES = [
    ("102", "501", "收到经营收入"), ("102", "503", "收到上级补助"), ("101", "102", "提取现金"),
    ("513", "101", "支付办公费"), ("511", "102", "支付经营支出"), ("514", "102", "支付村道维修费"),
    ("112", "501", "应收发包收入"), ("102", "112", "收回承包费"), ("212", "102", "发放村干部报酬"),
    ("513", "212", "计提村干部报酬"), ("151", "102", "购置固定资产"), ("515", "101", "支付其他支出"),
    ("102", "201", "取得短期借款"), ("201", "102", "归还短期借款"), ("102", "504", "收到其他收入"),
]


def main():
    """Write OUT_PREFIX.csv (voucher import contract) and OUT_PREFIX.journal (hledger) of the same entries."""
    villages, per, year, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rnd = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 789)
    first = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    with open(out + ".csv", "w", newline="", encoding="utf-8") as fc, \
            open(out + ".journal", "w", encoding="utf-8") as fj:
        w = csv.writer(fc)
        w.writerow(["org_code", "date", "voucher_ref", "summary", "account_code", "debit", "credit"])
        for v in range(first, first + villages):
            org = f"V{v:05d}"
            days = sorted(rnd.randrange(1, 366) for _ in range(per))
            for i, d in enumerate(days):
                month = min(12, 1 + (d - 1) * 12 // 365)
                day = 1 + (d % 28)
                date = f"{year}-{month:02d}-{day:02d}"
                dr, cr, summ = TEMPLATES[rnd.randrange(len(TEMPLATES))]
                total = Decimal(rnd.randrange(100, 5_000_000)) / 100
                ref = f"{org}-{i+1:05d}"
                # sometimes split the debit side in two lines (3-line voucher)
                if rnd.random() < 0.5 and total > 1:
                    a = (total * Decimal(rnd.randrange(10, 90)) / 100).quantize(Decimal("0.01"))
                    lines = [(dr, a, 0), (dr, total - a, 0), (cr, 0, total)]
                else:
                    lines = [(dr, total, 0), (cr, 0, total)]
                fj.write(f"{date} {summ} ; {ref}\n")
                for acct, de, ce in lines:
                    w.writerow([org, date, ref, summ, acct, f"{de:.2f}" if de else "", f"{ce:.2f}" if ce else ""])
                    amt = de if de else -ce
                    fj.write(f"    {org}:{acct}    {amt:.2f} CNY\n")
                fj.write("\n")


if __name__ == "__main__":
    main()
