"""shared devices: the step a draft reached, and one-time codes for a group tablet (kiosk)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('draft') as batch:
        batch.add_column(sa.Column('reached_step', sa.SmallInteger(), nullable=True))
    op.create_table('kiosk_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('code_digest', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("audience IN ('member', 'peer_worker')", name=op.f('ck_kiosk_code_audience_valid')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_kiosk_code_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_kiosk_code_cycle_id_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_code')),
    sa.UniqueConstraint('code_digest', name=op.f('uq_kiosk_code_code_digest'))
    )
    with op.batch_alter_table('kiosk_code') as batch:
        batch.create_index(batch.f('ix_kiosk_code_cycle_id'), ['cycle_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kiosk_code') as batch:
        batch.drop_index(batch.f('ix_kiosk_code_cycle_id'))
    op.drop_table('kiosk_code')
    with op.batch_alter_table('draft') as batch:
        batch.drop_column('reached_step')
