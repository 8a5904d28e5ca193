"""hostile traffic: a facilitator can pause a join code (join_code.paused_at)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('join_code') as batch:
        batch.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('join_code') as batch:
        batch.drop_column('paused_at')
