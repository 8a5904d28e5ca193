"""story round: stories of change, the group's choice of one with its reasons, and who chose

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('may_share', sa.Boolean(), nullable=False),
    sa.Column('submission_token', sa.String(length=36), nullable=False),
    sa.Column('receipt_digest', sa.String(length=64), nullable=False),
    sa.Column('shortlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shown_title', sa.String(length=80), nullable=True),
    sa.Column('shown_text', sa.Text(), nullable=True),
    sa.CheckConstraint("shortlisted_at IS NULL OR (may_share AND shown_title IS NOT NULL AND shown_text IS NOT NULL)", name=op.f('ck_story_shortlist_only_shared')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_story_cycle_id_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story')),
    sa.UniqueConstraint('id', 'cycle_id', name='uq_story_id_cycle'),
    sa.UniqueConstraint('receipt_digest', name=op.f('uq_story_receipt_digest')),
    sa.UniqueConstraint('submission_token', name=op.f('uq_story_submission_token'))
    )
    with op.batch_alter_table('story') as batch:
        batch.create_index(batch.f('ix_story_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('story_round',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('is_on', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('chosen_story_id', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.CheckConstraint('chosen_story_id IS NULL OR reasons IS NOT NULL', name=op.f('ck_story_round_chosen_with_reasons')),
    sa.CheckConstraint('chosen_story_id IS NULL OR done_at IS NOT NULL', name=op.f('ck_story_round_chosen_when_done')),
    sa.ForeignKeyConstraint(['chosen_story_id'], ['story.id'], name=op.f('fk_story_round_chosen_story_id_story'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_story_round_cycle_id_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cycle_id', name=op.f('pk_story_round'))
    )

    op.create_table('story_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('voter_digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_story_choice_cycle_id_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id', 'cycle_id'], ['story.id', 'story.cycle_id'], name='fk_story_choice_story', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_choice')),
    sa.UniqueConstraint('cycle_id', 'voter_digest', name='uq_story_choice_once')
    )
    with op.batch_alter_table('story_choice') as batch:
        batch.create_index(batch.f('ix_story_choice_story_id'), ['story_id'], unique=False)


def downgrade():
    with op.batch_alter_table('story_choice') as batch:
        batch.drop_index(batch.f('ix_story_choice_story_id'))
    op.drop_table('story_choice')
    op.drop_table('story_round')
    with op.batch_alter_table('story') as batch:
        batch.drop_index(batch.f('ix_story_cycle_id'))
    op.drop_table('story')
