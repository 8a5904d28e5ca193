"""A network's or a group's name is taken whatever the letter case, in every alphabet, and a
taken name gets a message in plain words (never the database's UNIQUE error)."""

from __future__ import annotations

import pytest

from inquiry.extensions import db
from inquiry.groups.models import Group, Network
from inquiry.groups.services import GroupError, NetworkError, create_group, create_network

from ..factories import make_network, make_user


@pytest.mark.parametrize("again", ["Łódź Peer Support", "ŁÓDŹ PEER SUPPORT", "łódź peer support"])
def test_a_network_name_is_taken_in_any_letter_case(ctx, again):
    create_network(None, "Łódź Peer Support")
    with pytest.raises(NetworkError):
        create_network(None, again)
    assert db.session.scalar(db.select(db.func.count()).select_from(Network)) == 1


@pytest.mark.parametrize("again", ["Öffentliche Gruppe", "ÖFFENTLICHE GRUPPE"])
def test_a_group_name_is_taken_in_any_letter_case_within_its_network(ctx, again):
    network, other = make_network(name="One"), make_network(name="Two")
    admin = make_user("admin", network, email="admin@example.org")
    create_group(admin, network.id, "Öffentliche Gruppe", "", "en_GB")
    with pytest.raises(GroupError):
        create_group(admin, network.id, again, "", "en_GB")
    create_group(admin, other.id, again, "", "en_GB")  # another network's may share it
    assert db.session.scalar(db.select(db.func.count()).select_from(Group)) == 2
