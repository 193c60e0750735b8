"""The starter catalogue of policies (data/policies.csv) as plain rows: read by the township-created hook and by
the migration that gives townships created before it their catalogue. Pure: no database here."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from importlib import resources

from threeassets.subsidies.rules import initials, policy_text_problems


def _row(raw: dict[str, str]) -> dict:
    """One CSV row as the policy table's column values; a text the public kiosk must not show (an ID, a mobile,
    a bank number: the policy form's own check) stops the load, naming the policy and the field."""
    if problems := policy_text_problems(raw):
        raise ValueError(f"starter policy {raw.get('code')}: " + "; ".join(problems.values()))
    return {"code": raw["code"], "level": raw["level"], "department": raw["department"], "name": raw["name"],
            "initials": raw.get("initials") or initials(raw["name"]), "basis": raw["basis"],
            "basis_date": date.fromisoformat(raw["basis_date"]) if raw["basis_date"] else None,
            "eligibility": raw["eligibility"], "standard": raw["standard"],
            "rate": Decimal(raw["rate"]) if raw["rate"] else None, "unit": raw["unit"],
            "year_from": int(raw["year_from"]), "year_to": int(raw["year_to"]) if raw["year_to"] else None,
            "payment": raw["payment"], "service_item": raw["service_item"], "summary": raw["summary"],
            "full_text": "", "status": "active"}


def read_policies(text: str) -> list[dict]:
    """A catalogue file's text (data/policies.csv's columns), one dict of column values per policy. The packaged
    file ships each name's pinyin initials (creating a township then loads no pinyin dictionary); a file without
    them has them worked out."""
    return [_row(raw) for raw in csv.DictReader(io.StringIO(text))]


def default_policies() -> list[dict]:
    """The packaged starter catalogue, one dict of column values per policy, in file order."""
    return read_policies(resources.files("threeassets.subsidies").joinpath("data/policies.csv")
                         .read_text(encoding="utf-8"))
