"""import fingerprints: each imported response keeps a digest of its content (unique per
cycle), so the same sheet imports once; the audit log gains the 'imported' kind and marks
events recorded from the command line

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 10:30:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

CHECK = 'ck_audit_event_action_valid'
NEW = 'imported'


def _actions_now():
    """The audit kinds the database allows at this point of the chain: earlier migrations
    (ours or others') may have added kinds, and this one must keep them all."""
    bind = op.get_bind()
    for check in sa.inspect(bind).get_check_constraints('audit_event'):
        if check['name'] == CHECK:
            return list(dict.fromkeys(re.findall(r"'([a-z_]+)'", check['sqltext'])))
    raise RuntimeError(f'{CHECK} not found on audit_event')


def _check(actions):
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    actions = _actions_now()
    with op.batch_alter_table('response') as batch:
        batch.add_column(sa.Column('import_fingerprint', sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            'uq_response_import_fingerprint', ['cycle_id', 'import_fingerprint']
        )
    with op.batch_alter_table('audit_event') as batch:
        batch.add_column(
            sa.Column('by_command', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.drop_constraint(op.f(CHECK), type_='check')
        batch.create_check_constraint(
            op.f(CHECK), _check(actions + [NEW] if NEW not in actions else actions)
        )


def downgrade():
    actions = [a for a in _actions_now() if a != NEW]
    # Imports were recorded as changes to the cycle before this kind existed.
    op.execute(f"UPDATE audit_event SET action = 'edited' WHERE action = '{NEW}'")
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_constraint(op.f(CHECK), type_='check')
        batch.create_check_constraint(op.f(CHECK), _check(actions))
        batch.drop_column('by_command')
    with op.batch_alter_table('response') as batch:
        batch.drop_constraint('uq_response_import_fingerprint', type_='unique')
        batch.drop_column('import_fingerprint')
