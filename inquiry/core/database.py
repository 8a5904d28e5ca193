"""Database connection settings that keep every acknowledged answer."""

from __future__ import annotations

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


def init_app(app: Flask) -> None:
    from ..extensions import db

    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite":
        synchronous = app.config["SQLITE_SYNCHRONOUS"]
        if synchronous not in {"FULL", "NORMAL", "EXTRA"}:
            raise ValueError("SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
