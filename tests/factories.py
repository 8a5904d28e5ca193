"""Plain factory functions with keyword overrides. They flush and commit."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from inquiry.core.models import AUDIENCES
from inquiry.cycles.models import Cycle
from inquiry.cycles.services import close_cycle, create_cycle, open_cycle
from inquiry.extensions import db
from inquiry.groups.models import Group, Network

_seq = itertools.count(1)


@dataclass(frozen=True)
class CycleInfo:
    id: int
    group_id: int
    group_name: str
    codes: dict[str, str]

    @classmethod
    def of(cls, cycle: Cycle) -> CycleInfo:
        return cls(
            cycle.id, cycle.group_id, cycle.group.name, {a: cycle.active_code(a) for a in AUDIENCES}
        )

    def active_code(self, audience: str) -> str:
        return self.codes[audience]


def make_network(**overrides) -> Network:
    network = Network(**{"name": f"Network {next(_seq)}", **overrides})
    db.session.add(network)
    db.session.flush()
    return network


def make_group(network: Network | None = None, **overrides) -> Group:
    network = network or make_network()
    group = Group(**{"network": network, "name": f"Group {next(_seq)}", **overrides})
    db.session.add(group)
    db.session.flush()
    return group


def make_open_cycle(group: Group | None = None, **overrides) -> Cycle:
    group = group or make_group()
    fields = {"title": "Autumn", "starts_on": date(2026, 11, 1), "ends_on": date(2026, 12, 1)}
    fields.update(overrides)
    cycle = create_cycle(group.id, **fields)
    open_cycle(cycle)
    db.session.commit()
    return cycle


def make_closed_cycle(group: Group | None = None, **overrides) -> Cycle:
    cycle = make_open_cycle(group, **overrides)
    close_cycle(cycle)
    db.session.commit()
    return cycle


PASSWORD = "correct horse battery staple 9"


def make_user(role: str = "facilitator", network: Network | None = None, groups=(), **overrides):
    from inquiry.accounts.models import User

    user = User(
        email=overrides.pop("email", f"user{next(_seq)}@example.org"),
        role=role,
        network_id=network.id if network else None,
        **overrides,
    )
    user.set_password(PASSWORD)
    user.groups = list(groups)
    db.session.add(user)
    db.session.commit()
    return user
