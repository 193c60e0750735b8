"""The audit writer chooses its log: a township's event (a village's names its township) or the county's."""
import pytest

from threeassets.core.audit import AuditEvent, CountyAuditEvent, record


class _Added(list):
    """A stand-in session that keeps what the writer adds (record never queries or commits)."""

    def add(self, row) -> None:
        self.append(row)


def test_a_township_or_village_event_goes_to_the_townships_log():
    added = _Added()
    record(added, "voucher.post", township_id=3, village_id=7, detail={"number": 1})
    [row] = added
    assert isinstance(row, AuditEvent) and (row.township_id, row.village_id) == (3, 7)
    assert row.actor_name == "system" and row.detail == '{"number": 1}'


def test_an_event_of_no_township_goes_to_the_countys_log():
    added = _Added()
    record(added, "login.failed", detail={"username": "无名"}, ip="10.0.0.9")
    [row] = added
    assert isinstance(row, CountyAuditEvent) and row.ip == "10.0.0.9" and "无名" in row.detail


def test_a_village_event_without_its_township_is_refused():
    added = _Added()
    with pytest.raises(ValueError, match="names its township"):
        record(added, "account.create", village_id=7)
    assert added == []
