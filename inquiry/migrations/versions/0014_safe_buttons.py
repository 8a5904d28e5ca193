"""safe buttons: when a closed cycle stops taking late answers (its grace period), and when its summary was first printed

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cycle') as batch:
        batch.add_column(sa.Column('grace_until', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('first_printed_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint(
            op.f('ck_cycle_grace_only_after_close'),
            "grace_until IS NULL OR (state = 'closed' AND closed_at IS NOT NULL "
            "AND grace_until >= closed_at)",
        )


def downgrade():
    with op.batch_alter_table('cycle') as batch:
        batch.drop_constraint(op.f('ck_cycle_grace_only_after_close'), type_='check')
        batch.drop_column('first_printed_at')
        batch.drop_column('grace_until')
