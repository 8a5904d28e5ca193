"""corrections: archived groups, and who typed a paper sheet and when it was corrected

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('community_group') as batch:
        batch.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('response') as batch:
        batch.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            batch.f('fk_response_entered_by_id_user_account'),
            'user_account', ['entered_by_id'], ['id'], ondelete='SET NULL',
        )
        batch.create_check_constraint(
            batch.f('ck_response_typed_sheets_only'),
            "source <> 'web' OR (entered_by_id IS NULL AND corrected_at IS NULL)",
        )


def downgrade():
    with op.batch_alter_table('response') as batch:
        batch.drop_constraint(batch.f('ck_response_typed_sheets_only'), type_='check')
        batch.drop_constraint(batch.f('fk_response_entered_by_id_user_account'), type_='foreignkey')
        batch.drop_column('corrected_at')
        batch.drop_column('entered_by_id')
    with op.batch_alter_table('community_group') as batch:
        batch.drop_column('archived_at')
