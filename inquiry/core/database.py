"""Database connection settings that keep every acknowledged answer."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_pragmas(synchronous: str):
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    return on_connect


def private_sqlite_file(path: Path) -> None:
    """Create the database file for this user only (0600, its folder 0700) before SQLite
    does, which would make it readable by everyone; SQLite gives the -wal and -shm files the
    database file's permissions. A file made before, readable by others, is closed to them."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        try:
            info = (path.parent / name).stat()
        except FileNotFoundError:
            continue
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(path.parent / name, stat.S_IMODE(info.st_mode) & 0o600)


def init_app(app: Flask) -> None:
    from ..extensions import db

    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite":
        synchronous = app.config["SQLITE_SYNCHRONOUS"]
        if synchronous not in {"FULL", "NORMAL", "EXTRA"}:
            raise ValueError("SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            private_sqlite_file(Path(database))
