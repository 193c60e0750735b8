"""conditional materials: a catalogue material is needed always (必交) or only in the case its note names (视情形提交);
a case's checklist row copies that with its condition, and records a conditional material not applicable to the
case (不适用) and, when the case's source decided it (a claim paid in cash needs no bank details), what did

Revision ID: 0022_conditional_materials
Revises: 0021_county_tables
Create Date: 2026-12-08 10:00:00.000000

Every existing material stays required always, except the shipped default catalogue's materials whose notes name
their case (…时提供), in the townships that still have them as shipped: those become conditional (the 证明开具
item's 村委会推荐意见, whose name says its case, gets the note 需证明集体事项时提供). The checklists of open cases
follow for those materials, so a clerk can mark them not applicable; an open claim case's bank details are decided
by its claim: not applicable when it is paid in cash.
"""
import sqlalchemy as sa
from alembic import op

revision = '0022_conditional_materials'
down_revision = '0021_county_tables'
branch_labels = None
depends_on = None

REQUIREMENT = "requirement in ('always','conditional')"
NOT_APPLICABLE = "NOT not_applicable OR (requirement = 'conditional' AND NOT received)"
OPEN = "('intake','supplement','accepted','in_progress')"
# (item code, material name, note as shipped, note as conditional) of the default catalogue
DEFAULTS = [
    ('claim', '收款方银行账户信息', '转账支付时提供', '转账支付时提供'),
    ('subsidy', '惠民惠农“一卡通”存折或银行卡', '查询发放记录时提供', '查询发放记录时提供'),
    ('cert', '村委会推荐意见（需证明集体事项时）', '', '需证明集体事项时提供'),
    ('subsidy_card', '本人名下社会保障卡或银行卡', '变更发放账户时提供', '变更发放账户时提供'),
    ('dibao', '残疾证、病历等证明', '有残疾或重病成员时提供', '有残疾或重病成员时提供'),
]
MARK_DEFAULT = sa.text(
    "UPDATE service_material SET requirement = 'conditional', note = :new WHERE name = :name AND note = :old "
    "AND item_id IN (SELECT i.id FROM service_item i WHERE i.code = :code "
    "AND i.township_id = service_material.township_id)")
# the conditional material of the case's item that a checklist row was copied from (by name)
SOURCE = ("FROM service_material m JOIN service_case c ON c.item_id = m.item_id "
          "WHERE c.id = service_case_material.case_id AND c.township_id = service_case_material.township_id "
          f"AND c.state IN {OPEN} AND m.name = service_case_material.name AND m.requirement = 'conditional'")
MARK_OPEN_CASES = sa.text(f"UPDATE service_case_material SET requirement = 'conditional', "
                          f"applies_when = (SELECT MIN(m.note) {SOURCE}) WHERE EXISTS (SELECT 1 {SOURCE})")
CLAIM_CASE = ("requirement = 'conditional' AND name LIKE '%银行账户%' AND EXISTS (SELECT 1 FROM service_case c "
              "JOIN claim k ON k.id = c.claim_id AND k.village_id = c.village_id "
              "WHERE c.id = service_case_material.case_id AND c.township_id = service_case_material.township_id "
              f"AND c.state IN {OPEN} AND k.pay_method = :method)")
PAID_IN_CASH = sa.text("UPDATE service_case_material SET not_applicable = :yes, decided_by = '报账单为现金支付' "
                       f"WHERE NOT received AND {CLAIM_CASE}")
PAID_BY_TRANSFER = sa.text(f"UPDATE service_case_material SET decided_by = '报账单为银行转账支付' WHERE {CLAIM_CASE}")

def upgrade() -> None:
    """The columns, then the shipped conditional materials and the open cases that use them."""
    with op.batch_alter_table('service_material') as batch:
        batch.add_column(sa.Column('requirement', sa.String(length=12), server_default='always', nullable=False))
        batch.create_check_constraint(op.f('ck_service_material_requirement'), REQUIREMENT)
    with op.batch_alter_table('service_case_material') as batch:
        batch.add_column(sa.Column('requirement', sa.String(length=12), server_default='always', nullable=False))
        batch.add_column(sa.Column('applies_when', sa.String(length=200), server_default='', nullable=False))
        batch.add_column(sa.Column('not_applicable', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('decided_by', sa.String(length=100), server_default='', nullable=False))
        batch.create_check_constraint(op.f('ck_service_case_material_requirement'), REQUIREMENT)
        batch.create_check_constraint(op.f('ck_service_case_material_not_applicable'), NOT_APPLICABLE)
    bind = op.get_bind()
    for code, name, old, new in DEFAULTS:
        bind.execute(MARK_DEFAULT, {"code": code, "name": name, "old": old, "new": new})
    bind.execute(MARK_OPEN_CASES)
    bind.execute(PAID_IN_CASH, {"method": "cash", "yes": True})
    bind.execute(PAID_BY_TRANSFER, {"method": "bank"})


def downgrade() -> None:
    """Drop them (the 证明开具 note added above goes too)."""
    op.get_bind().execute(sa.text(
        "UPDATE service_material SET note = '' WHERE requirement = 'conditional' "
        "AND name = '村委会推荐意见（需证明集体事项时）' AND note = '需证明集体事项时提供'"))
    with op.batch_alter_table('service_case_material') as batch:
        batch.drop_constraint(op.f('ck_service_case_material_not_applicable'), type_='check')
        batch.drop_constraint(op.f('ck_service_case_material_requirement'), type_='check')
        batch.drop_column('decided_by')
        batch.drop_column('not_applicable')
        batch.drop_column('applies_when')
        batch.drop_column('requirement')
    with op.batch_alter_table('service_material') as batch:
        batch.drop_constraint(op.f('ck_service_material_requirement'), type_='check')
        batch.drop_column('requirement')
