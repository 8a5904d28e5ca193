"""people: password reset links, a second step at sign-in with recovery codes, a network that
requires it, revoked invitations, and the audit actions for all of these

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    'created', 'edited', 'opened', 'closed', 'replaced_code', 'exported', 'printed', 'deleted',
)
NEW_ACTIONS = OLD_ACTIONS + (
    'signed_in', 'sign_in_failed', 'signed_out', 'revoked', 'role_changed', 'deactivated',
    'reactivated', 'reset_link_made', 'password_reset', 'password_changed', 'two_step_on',
    'two_step_off', 'recovery_used', 'recovery_new',
)


def _actions(actions):
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['made_by_id'], ['user_account.id'], name=op.f('fk_password_reset_made_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_password_reset_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_hash'))
    )
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recovery_code_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requires_two_step', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))

    with op.batch_alter_table('audit_event') as batch:
        batch.drop_constraint(op.f('ck_audit_event_action_valid'), type_='check')
        batch.create_check_constraint(op.f('ck_audit_event_action_valid'), _actions(NEW_ACTIONS))


def downgrade():
    # Events of the new kinds cannot be kept under the old rule.
    op.execute(
        "DELETE FROM audit_event WHERE action NOT IN ("
        + ", ".join(f"'{a}'" for a in OLD_ACTIONS) + ")"
    )
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_constraint(op.f('ck_audit_event_action_valid'), type_='check')
        batch.create_check_constraint(op.f('ck_audit_event_action_valid'), _actions(OLD_ACTIONS))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')

    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.drop_column('requires_two_step')

    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')

    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))

    op.drop_table('recovery_code')
    op.drop_table('password_reset')
