"""Shared fixtures: a real database (SQLite file, or PostgreSQL from DATABASE_URL),
migrated once per run and emptied after every test, and a live server for browsers."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import event
from werkzeug.serving import make_server

from inquiry import create_app
from inquiry.extensions import db, limiter
from inquiry.questions.services import sync_bank

KEEP = {"question", "question_text", "alembic_version"}


def _database_url(tmp_path_factory) -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "LINK_KEY": "test-link-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "SERVER_NAME": None,
        }
    )
    app.instance_path = str(instance)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.engine.dispose()
            _reset_postgres(str(db.engine.url.render_as_string(hide_password=False)))
        upgrade(directory=str(Path(app.root_path) / "migrations"))
        sync_bank()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close pooled connections before the interpreter does


@pytest.fixture(autouse=True)
def _clean(app):
    """Each test starts with the question bank and nothing else."""
    yield
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP]
        with db.engine.begin() as conn:
            for table in tables:
                if table.name == "community_group":
                    # A group's own questions go with it; the built-in bank stays.
                    conn.execute(sa.text("DELETE FROM question WHERE NOT is_builtin"))
                conn.execute(table.delete())
    limiter.reset()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def cycle(app):
    """An open cycle asking the whole built-in bank, as plain values (no session held open,
    so requests made by the test client use their own database session as in real life)."""
    from .factories import CycleInfo, make_open_cycle

    with app.app_context():
        info = CycleInfo.of(make_open_cycle())
        db.session.remove()
    return info


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over real HTTP on 127.0.0.1, for browsers and concurrent clients."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def pdf_worker(app):
    """The render worker, running beside the live server as it does beside gunicorn."""
    from inquiry.printing import worker

    stop = threading.Event()

    def run():
        with app.app_context():
            worker.run(stop, poll=0.2)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


@pytest.fixture
def read_only_database(app):
    """Make every transaction fail to write, for real, at the database."""
    with app.app_context():
        engine = db.engine
    postgres = engine.dialect.name == "postgresql"

    def on_begin(conn):
        if postgres:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        else:
            conn.exec_driver_sql("PRAGMA query_only = ON")

    event.listen(engine, "begin", on_begin)
    yield
    event.remove(engine, "begin", on_begin)
    engine.dispose()  # forget connections left in query_only mode


@pytest.fixture
def read_only_database_later(request):
    """Call it to make the database read-only from that moment."""

    def switch_on():
        request.getfixturevalue("read_only_database")

    return switch_on
