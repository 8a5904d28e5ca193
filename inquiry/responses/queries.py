"""Reads of responses and drafts."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from ..core.models import utcnow
from ..extensions import db
from .models import Draft, Response


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_live_draft(token: str | None) -> Draft | None:
    """The draft behind a resume cookie, unless it has expired."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(Draft).where(
            Draft.token_digest == token_digest(token), Draft.expires_at > utcnow()
        )
    )


def get_response_by_token(submission_token: str) -> Response | None:
    return db.session.scalar(sa.select(Response).filter_by(submission_token=submission_token))


def get_response_by_receipt(digest: str) -> Response | None:
    return db.session.scalar(sa.select(Response).filter_by(receipt_digest=digest))
