"""answers imported from ODK Collect or KoboToolbox have their own source, 'odk'

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00

"""
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response') as batch:
        batch.drop_constraint(op.f('ck_response_source_valid'), type_='check')
        batch.create_check_constraint(
            op.f('ck_response_source_valid'), "source IN ('web', 'paper', 'odk')"
        )


def downgrade():
    # Answers from ODK become paper answers again: both were collected away from the web.
    op.execute("UPDATE response SET source = 'paper' WHERE source = 'odk'")
    with op.batch_alter_table('response') as batch:
        batch.drop_constraint(op.f('ck_response_source_valid'), type_='check')
        batch.create_check_constraint(
            op.f('ck_response_source_valid'), "source IN ('web', 'paper')"
        )
