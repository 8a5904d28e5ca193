"""The floor for submit throughput: bare Flask + SQLAlchemy validating a form and inserting
one row per request, with the same database settings as Inquiry. Used by submit_floor.py."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from flask import Flask, abort, request
from sqlalchemy import event

engine = sa.create_engine(os.environ["BARE_DATABASE_URL"], pool_pre_ping=True)
if engine.dialect.name == "sqlite":

    @event.listens_for(engine, "connect")
    def _pragmas(conn, _record):
        cursor = conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


metadata = sa.MetaData()
rows = sa.Table(
    "bare_response",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token", sa.String(36), unique=True),
    sa.Column("value", sa.Integer),
)
metadata.create_all(engine)
app = Flask(__name__)


@app.post("/send")
def send():
    token = request.form.get("token", "")
    value = request.form.get("value", "")
    if len(token) != 36 or value not in {"1", "2", "3", "4", "5"}:
        abort(400)
    with engine.begin() as conn:
        conn.execute(rows.insert().values(token=token, value=int(value)))
    return "", 204


def token() -> str:
    return str(uuid.uuid4())
