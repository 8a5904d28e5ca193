"""retention: a network's retention period and contact details, and each cycle's deleted answers with the summary's figures kept

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('network') as batch:
        batch.add_column(sa.Column('retention_months', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('organisation_name', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('contact_email', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('contact_phone', sa.String(length=50), nullable=False, server_default=''))
        batch.add_column(sa.Column('contact_address', sa.String(length=500), nullable=False, server_default=''))
        batch.create_check_constraint(
            op.f('ck_network_retention_1_to_240_months'),
            'retention_months IS NULL OR retention_months BETWEEN 1 AND 240',
        )
    op.create_table('summary_snapshot',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('answers_deleted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('summary_deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason IN ('retention', 'request')", name=op.f('ck_summary_snapshot_reason_valid')),
    sa.CheckConstraint('(summary IS NULL) = (summary_deleted_at IS NOT NULL)', name=op.f('ck_summary_snapshot_figures_or_deleted')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_summary_snapshot_cycle_id_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user_account.id'], name=op.f('fk_summary_snapshot_deleted_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('cycle_id', name=op.f('pk_summary_snapshot'))
    )


def downgrade():
    op.drop_table('summary_snapshot')
    with op.batch_alter_table('network') as batch:
        batch.drop_constraint(op.f('ck_network_retention_1_to_240_months'), type_='check')
        batch.drop_column('contact_address')
        batch.drop_column('contact_phone')
        batch.drop_column('contact_email')
        batch.drop_column('organisation_name')
        batch.drop_column('retention_months')
