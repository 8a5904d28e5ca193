"""Every kind of audit event reads in plain words, never as an internal name."""

from __future__ import annotations

from inquiry.core.audit import ACTIONS
from inquiry.core.audit_views import ACTION_LABELS


def test_every_audit_action_has_a_label():
    assert set(ACTIONS) <= set(ACTION_LABELS)
