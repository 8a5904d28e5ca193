"""small groups: a threshold of 3 to 10, peer workers' open sharing, paired questions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 07:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('network') as batch:
        batch.drop_constraint(op.f('ck_network_min_responses_at_least_5'), type_='check')
        batch.create_check_constraint(
            op.f('ck_network_min_responses_3_to_10'), 'min_responses BETWEEN 3 AND 10'
        )
    with op.batch_alter_table('question') as batch:
        batch.add_column(sa.Column('pair_key', sa.String(length=100), nullable=True))
    for table in ('response', 'draft'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column('shares_openly', sa.Boolean(), nullable=False, server_default=sa.false())
            )
            if table == 'response':
                # Only peer support workers choose to share their answers openly.
                batch.create_check_constraint(
                    op.f('ck_response_shares_openly_peer_workers_only'),
                    "audience = 'peer_worker' OR NOT shares_openly",
                )


def downgrade():
    for table in ('draft', 'response'):
        with op.batch_alter_table(table) as batch:
            if table == 'response':
                batch.drop_constraint(
                    op.f('ck_response_shares_openly_peer_workers_only'), type_='check'
                )
            batch.drop_column('shares_openly')
    with op.batch_alter_table('question') as batch:
        batch.drop_column('pair_key')
    with op.batch_alter_table('network') as batch:
        batch.drop_constraint(op.f('ck_network_min_responses_3_to_10'), type_='check')
        batch.create_check_constraint(
            op.f('ck_network_min_responses_at_least_5'), 'min_responses >= 5'
        )
