"""theme sums kept per cycle (placeholder until its change lands; no schema change yet)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 11:35:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
