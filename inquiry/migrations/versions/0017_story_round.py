"""story round (placeholder until its change lands; no schema change yet)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 10:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
