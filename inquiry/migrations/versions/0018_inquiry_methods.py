"""inquiry methods: an action's finding (kind + id), the agenda's meeting held, and did-this-happen answers

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cycle') as batch:
        batch.add_column(sa.Column('meeting_held_at', sa.DateTime(timezone=True), nullable=True))
    # Choosing ended at closing before this change: those cycles' meetings count as held.
    op.execute("UPDATE cycle SET meeting_held_at = closed_at WHERE state = 'closed'")

    with op.batch_alter_table('action') as batch:
        batch.add_column(sa.Column('finding_kind', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('finding_id', sa.Integer(), nullable=True))
        batch.create_check_constraint(
            op.f('ck_action_finding_kind_valid'), "finding_kind IN ('topic', 'story')"
        )
        batch.create_check_constraint(
            op.f('ck_action_finding_kind_with_id'), '(finding_kind IS NULL) = (finding_id IS NULL)'
        )
        batch.create_check_constraint(
            op.f('ck_action_one_finding'), 'finding_kind IS NULL OR theme IS NULL'
        )

    op.create_table('action_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=10), nullable=False),
    sa.CheckConstraint("value IN ('yes', 'partly', 'no', 'dont_know')", name=op.f('ck_action_check_value_valid')),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_check_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_action_check_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_check')),
    sa.UniqueConstraint('response_id', 'action_id', name='uq_action_check_once')
    )
    with op.batch_alter_table('action_check') as batch:
        batch.create_index(batch.f('ix_action_check_action_id'), ['action_id'], unique=False)


def downgrade():
    with op.batch_alter_table('action_check') as batch:
        batch.drop_index(batch.f('ix_action_check_action_id'))
    op.drop_table('action_check')
    with op.batch_alter_table('action') as batch:
        batch.drop_constraint(op.f('ck_action_one_finding'), type_='check')
        batch.drop_constraint(op.f('ck_action_finding_kind_with_id'), type_='check')
        batch.drop_constraint(op.f('ck_action_finding_kind_valid'), type_='check')
        batch.drop_column('finding_id')
        batch.drop_column('finding_kind')
    with op.batch_alter_table('cycle') as batch:
        batch.drop_column('meeting_held_at')
