# Copy to instance/config.py and change what you need. Environment variables named
# INQUIRY_<SETTING> (for example INQUIRY_JOIN_RATE_LIMIT) override this file, and
# DATABASE_URL overrides the database.

# PostgreSQL in production (SQLite in instance/ is the default):
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://inquiry:secret@127.0.0.1/inquiry"

# Rate limits: in memory per process by default; use Redis when several processes serve
# one installation.
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"
# JOIN_RATE_LIMIT = "10 per minute;60 per day"

# How long a half-finished reflection waits for its member.
# DRAFT_DAYS = 14

# SQLite durability: FULL (default) keeps every acknowledged answer through a power cut.
# SQLITE_SYNCHRONOUS = "FULL"

# When served over HTTPS behind a proxy:
# SESSION_COOKIE_SECURE = True
