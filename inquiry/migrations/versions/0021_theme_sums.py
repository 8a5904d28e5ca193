"""theme sums kept per closed cycle (kept_sums, kept_theme_sum): what the network roll-up reads, kept when the answers are deleted

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 11:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_sums',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('peer_team', sa.Integer(), nullable=False),
    sa.Column('peer_anonymous', sa.Integer(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.CheckConstraint('members >= 0 AND peer_team >= 0 AND peer_anonymous >= 0', name=op.f('ck_kept_sums_took_part_not_negative')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_kept_sums_cycle_id_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cycle_id', name=op.f('pk_kept_sums'))
    )
    op.create_table('kept_theme_sum',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('view', sa.String(length=12), nullable=False),
    sa.Column('theme', sa.String(length=50), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('agree', sa.Integer(), nullable=False),
    sa.CheckConstraint("view IN ('member', 'peer_team', 'peer_worker')", name=op.f('ck_kept_theme_sum_view_valid')),
    sa.CheckConstraint('answered > 0 AND responses > 0', name=op.f('ck_kept_theme_sum_counts_positive')),
    sa.CheckConstraint('agree BETWEEN 0 AND responses', name=op.f('ck_kept_theme_sum_agree_within_responses')),
    sa.CheckConstraint('total BETWEEN answered * responses AND 5 * answered * responses', name=op.f('ck_kept_theme_sum_total_on_the_scale')),
    sa.ForeignKeyConstraint(['cycle_id'], ['kept_sums.cycle_id'], name=op.f('fk_kept_theme_sum_cycle_id_kept_sums'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cycle_id', 'view', 'theme', 'answered', name=op.f('pk_kept_theme_sum'))
    )


def downgrade():
    op.drop_table('kept_theme_sum')
    op.drop_table('kept_sums')
