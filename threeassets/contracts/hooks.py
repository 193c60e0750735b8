"""The contracts' receivers: a resource let by a contract says so, and its page lists the contracts."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.resource_held.connect
def _held_by_contract(resource, *, session) -> str | None:
    """An active contract holds the resource: its status must stay 已发包/出租 until the contract ends."""
    from threeassets.contracts.queries import active_contract_of_resource
    code = active_contract_of_resource(session, resource.village_id, resource.id)
    return f"合同 {code} 生效中" if code else None


@hooks.resource_sections.connect
def _contracts_section(resource, *, session) -> tuple[str, dict]:
    """The resource page's 发包/出租合同 table."""
    from threeassets.contracts.queries import contracts_of_resource
    from threeassets.contracts.rules import STATUS_LABELS
    return "contracts/_resource_section.html", {
        "contracts": contracts_of_resource(session, resource.village_id, resource.id),
        "CONTRACT_STATUS": STATUS_LABELS}
