"""The database, its -wal and -shm files and the instance secrets are for this user only."""

from __future__ import annotations

import os
import stat

import sqlalchemy as sa

from inquiry import config, create_app
from inquiry.core.database import private_sqlite_file
from inquiry.extensions import db


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_wal_files_are_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    old = os.umask(0o022)  # the usual umask, which would make SQLite's file 0644
    try:
        folder = tmp_path / "new-instance"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'inquiry.sqlite'}",
                "SECRET_KEY": "x",
                "LINK_KEY": "y",
            }
        )
        with app.app_context():
            db.session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            db.session.execute(sa.text("INSERT INTO t VALUES (1)"))
            db.session.commit()
            assert (folder / "inquiry.sqlite-wal").exists()
            for name in ("inquiry.sqlite", "inquiry.sqlite-wal", "inquiry.sqlite-shm"):
                assert _mode(folder / name) == 0o600, name
            assert _mode(folder) == 0o700
            db.session.remove()
            db.engine.dispose()
    finally:
        os.umask(old)


def test_an_existing_database_readable_by_others_is_closed_to_them(tmp_path):
    path = tmp_path / "old.sqlite"
    path.write_bytes(b"")
    os.chmod(path, 0o644)
    private_sqlite_file(path)
    assert _mode(path) == 0o600


def test_instance_secrets_are_0600_in_a_0700_folder(tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "instance"
        key = config._secret_file(str(folder), "secret_key")
        assert len(key) == 64
        assert _mode(folder) == 0o700
        assert _mode(folder / "secret_key") == 0o600
        assert config._secret_file(str(folder), "secret_key") == key  # made once
    finally:
        os.umask(old)
