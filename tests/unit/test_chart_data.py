"""The standard chart ships its accounts' mnemonics (so creating villages loads no pinyin dictionary): each is
what the pinyin rule gives for the account's name."""
import pytest

from threeassets.ledger.chart import mnemonic, standard_chart


@pytest.mark.parametrize("row", standard_chart(), ids=lambda r: r["code"])
def test_each_shipped_mnemonic_is_the_names(row):
    assert row["mnemonic"] == mnemonic(row["name"]) and row["mnemonic"]
