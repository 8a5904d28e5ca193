"""Networks and their community groups."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import CreatedMixin, UTCDateTime
from ..extensions import db


class Network(CreatedMixin, db.Model):
    __tablename__ = "network"
    __table_args__ = (
        # Small numbers identify people: a figure about an audience needs at least this many
        # of its people; an admin may set it from 3 to 10 (see reports/privacy.py).
        sa.CheckConstraint("min_responses BETWEEN 3 AND 10", name="min_responses_3_to_10"),
        # How long answers are kept after a cycle closes (retention/); NULL keeps them until
        # someone deletes them.
        sa.CheckConstraint(
            "retention_months IS NULL OR retention_months BETWEEN 1 AND 240",
            name="retention_1_to_240_months",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    min_responses: Mapped[int] = mapped_column(default=5)
    # Staff of the network are asked to set up a second step at their next sign-in.
    requires_two_step: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    retention_months: Mapped[int | None] = mapped_column()
    # Who the network is and whom to contact, for the privacy notice (plain text, optional).
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(50), default="", server_default="")
    contact_address: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    groups: Mapped[list[Group]] = relationship(back_populates="network", order_by="Group.name")


class Group(CreatedMixin, db.Model):
    __tablename__ = "community_group"
    __table_args__ = (sa.UniqueConstraint("network_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    default_language: Mapped[str] = mapped_column(sa.String(16), default="en_GB")
    # An archived group leaves the lists and takes no new cycles; its history stays.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship(back_populates="groups")
    cycles = relationship("Cycle", back_populates="group", order_by="Cycle.starts_on")
