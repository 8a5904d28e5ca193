"""Database connection settings that keep every acknowledged answer."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError


def _sqlite_pragmas(synchronous: str):
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    return on_connect


_CANNOT_WRITE = (
    "attempt to write a readonly database",  # SQLite opened the file read-only
    "readonly database",
)


def _cannot_write(error) -> bool:
    """True when the database refused a write because of how the connection was opened: a
    SQLite file that was read-only when the connection was made (it stays read-only, and
    pool_pre_ping's SELECT 1 still passes), or a PostgreSQL read-only transaction (a
    standby promoted away, sqlstate 25006)."""
    if getattr(error, "sqlstate", None) == "25006":
        return True
    return any(text in str(error).lower() for text in _CANNOT_WRITE)


def _throw_away_connections_that_cannot_write(context) -> None:
    if _cannot_write(context.original_exception):
        # Treated as a lost connection: SQLAlchemy drops it and the rest of the pool, and the
        # next request opens a fresh one, which can write once the file can be written.
        context.is_disconnect = True
        logging.getLogger(__name__).error(
            "the database refused a write (%s: %s); its connections are dropped so the next "
            "request opens new ones. For SQLite check that the file, its -wal and -shm files "
            "and their folder are writable by this user",
            type(context.original_exception).__name__,
            str(context.original_exception).splitlines()[0][:200],
        )


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _reopen_when_writable(path: Path):
    """A connection SQLite opened read-only (the file could not be written at that moment)
    is replaced at its next checkout once the file can be written again, rather than waiting
    for a write to fail on it."""

    def on_connect(_dbapi_connection, record):
        record.info["opened_read_only"] = not _writable(path)

    def on_checkout(_dbapi_connection, record, _proxy):
        if record.info.get("opened_read_only") and _writable(path):
            raise DisconnectionError("the database file can be written again")

    return on_connect, on_checkout


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
            try:
                os.chmod(path.parent / name, stat.S_IMODE(info.st_mode) & 0o600)
            except OSError as error:
                logging.getLogger(__name__).warning(
                    "%s is readable by others and could not be changed: %s", name, error
                )


def init_app(app: Flask) -> None:
    from ..extensions import db

    with app.app_context():
        engine: Engine = db.engine
    event.listen(engine, "handle_error", _throw_away_connections_that_cannot_write)
    if engine.dialect.name == "sqlite":
        synchronous = app.config["SQLITE_SYNCHRONOUS"]
        if synchronous not in {"FULL", "NORMAL", "EXTRA"}:
            raise ValueError("SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            private_sqlite_file(Path(database))
            on_connect, on_checkout = _reopen_when_writable(Path(database))
            event.listen(engine, "connect", on_connect)
            event.listen(engine, "checkout", on_checkout)


_COMPILED_INSERTS: dict = {}


def insert_rows(connection, table, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Insert many plain rows (every row gives every column in `columns`) in one executemany,
    the statement compiled once per database. SQLAlchemy would otherwise build each row's
    parameters in Python, which was most of the time of the 25-answer insert on every send.
    No Python-side column defaults apply: the rows say every value."""
    key = (connection.dialect.name, table.name, columns)
    compiled = _COMPILED_INSERTS.get(key)
    if compiled is None:
        statement = table.insert().compile(dialect=connection.dialect, column_keys=list(columns))
        # Positional drivers (SQLite's "?") take tuples in the statement's order, named ones
        # (psycopg's "%(name)s") the rows themselves.
        compiled = _COMPILED_INSERTS[key] = (str(statement), statement.positiontup)
    sql, order = compiled
    params = [tuple(row[name] for name in order) for row in rows] if order else rows
    connection.exec_driver_sql(sql, params)
