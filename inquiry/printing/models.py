"""A PDF asked for in the workspace: waiting, being made, ready, or failed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import UTCDateTime, enum_check, utcnow
from ..extensions import db

STATUSES = ("waiting", "rendering", "ready", "failed")


class PdfDocument(db.Model):
    """One PDF of one finished HTML page. The same page asked for again is the same row, so
    a closed cycle's summary is made once and then handed out as it is."""

    __tablename__ = "pdf_document"
    __table_args__ = (
        enum_check("status", STATUSES),
        sa.CheckConstraint("(cycle_id IS NULL) <> (network_id IS NULL)", name="one_owner"),
        sa.Index("ix_pdf_document_queue", "status", "requested_at"),
        # A summary asked for by recipe is built from its cycle.
        sa.CheckConstraint("recipe IS NULL OR cycle_id IS NOT NULL", name="recipe_has_cycle"),
        # A file is never handed out without the digest it is checked against.
        sa.CheckConstraint("(path IS NULL) = (pdf_digest IS NULL)", name="file_has_digest"),
        sa.Index("ix_pdf_document_content", "cycle_id", "content_digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of who may see it and the finished HTML: any change to the content is a new PDF.
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    # Who may fetch it: the people who may see this cycle, or this network's coordinators.
    cycle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cycle.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("network.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(10), default="waiting")
    html: Mapped[str | None] = mapped_column(sa.Text)  # dropped once the PDF is made
    # What the render worker builds the HTML from, instead of html: "summary|variant|language"
    # of cycle_id. Each request is its own row; made rows share a file when the HTML is the same.
    recipe: Mapped[str | None] = mapped_column(sa.String(100))
    content_digest: Mapped[str | None] = mapped_column(sa.String(64))  # of the HTML made from
    # The PDF is a file beside the database (instance/pdfs), checked against its SHA-256 when read;
    # pdf holds the bytes of PDFs made before files were used.
    path: Mapped[str | None] = mapped_column(sa.String(200))
    pdf_digest: Mapped[str | None] = mapped_column(sa.String(64))
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    attempts: Mapped[int] = mapped_column(default=0)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
