"""Default settings. Order of precedence: these, instance/config.py, INQUIRY_* env, test config."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # A member may take their time: the CSRF token lives as long as the browser session.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "en_GB"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    # Launch languages; translations need review by native speakers (see README).
    LANGUAGES = ["en_GB", "pl", "so", "ar", "ro"]
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STRATEGY = "moving-window"
    # When the limits' storage (Redis) is down, count in this process's memory instead and
    # never refuse a page because of it; back to the storage once it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Wrong join codes from one address (a venue's Wi-Fi is one address for the whole room).
    # Right codes are never counted. Past JOIN_RATE_LIMIT a wrong code is told to wait, while
    # a right one still gets in; past JOIN_GUESS_LIMIT only codes that have already worked
    # from that address (the room's own code, for JOIN_KNOWN_DAYS) are looked up at all.
    JOIN_RATE_LIMIT = "10 per minute;60 per day"
    JOIN_GUESS_LIMIT = "30 per minute;200 per day"
    JOIN_KNOWN_DAYS = 30
    # Wrong one-time codes for a group tablet (kiosk), per address.
    KIOSK_RATE_LIMIT = "5 per minute;30 per day"
    WITHDRAW_RATE_LIMIT = "5 per minute;30 per day"
    LOGIN_RATE_LIMIT = "5 per minute;30 per hour"
    INVITE_RATE_LIMIT = "10 per minute;50 per hour"
    # Staff sessions end after a working day.
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    # How long a half-finished reflection waits on the server for its member.
    DRAFT_DAYS = 14
    RESUME_COOKIE = "inquiry_resume"
    # A draft untouched this long is offered "Not you? Start fresh" (a phone passed on).
    RESUME_IDLE_MINUTES = 20
    # A group tablet (kiosk): its one-time code works for this long, the tablet mode for a day.
    KIOSK_CODE_MINUTES = 30
    KIOSK_HOURS = 8
    # SQLite durability: FULL keeps every acknowledged answer through a power cut.
    SQLITE_SYNCHRONOUS = "FULL"
    PREFERRED_URL_SCHEME = "http"
    # Request bodies. A member page needs a few kB: even five 5,000-character answers in a
    # non-Latin script, percent-encoded, stay under 200 KB. Larger bodies get a 413 page
    # before they are read, and so do bodies of more than MAX_FORM_PARTS fields.
    MAX_CONTENT_LENGTH = 512 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    MAX_FORM_PARTS = 1000
    # Upload pages have their own caps, above their importer's limit (5 MB for an XLSForm,
    # 20 MB of offline answers) so that a file somewhat too large is refused in words.
    UPLOAD_MAX_BYTES = {
        "interchange.xlsform_import": 8 * 1024 * 1024,
        "interchange.odk_import": 24 * 1024 * 1024,
    }
    # Set INQUIRY_HTTPS=true when served over HTTPS (behind a proxy that sets
    # X-Forwarded-Proto): Secure __Host- session cookie, HSTS, https links.
    HTTPS = False


def _secret_file(instance_path: str, name: str) -> str:
    """Read a per-installation secret from instance/, creating it once."""
    path = Path(instance_path) / name
    if not path.exists():
        # For this user only: the folder 0700, the key 0600 (mkstemp's mode, kept by link).
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Write aside, then link into place: two processes starting at once agree on one key.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def load(app, test_config: dict | None) -> None:
    """Apply the configuration layers to ``app`` in order."""
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        f"sqlite:///{Path(app.instance_path) / 'inquiry.sqlite'}"
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("INQUIRY", loads=_loads)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(os.environ["DATABASE_URL"])
    if test_config:
        app.config.update(test_config)
    if app.config.get("HTTPS"):
        # Behind HTTPS the session cookie is Secure and host-only (the __Host- prefix).
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["PREFERRED_URL_SCHEME"] = "https"
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith(("redis", "rediss")):
        # A Redis that hangs must not hang the page: give up on it within half a second.
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        )
    for key, filename in (("SECRET_KEY", "secret_key"), ("LINK_KEY", "link_key")):
        if not app.config.get(key):
            app.config[key] = _secret_file(app.instance_path, filename)


def _loads(value: str):
    try:
        return json.loads(value)
    except ValueError:
        return value


def _normalise_db_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; we speak psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
