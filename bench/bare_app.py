"""The floors our member requests are measured against, with the same database settings as
Inquiry: bare Flask + SQLAlchemy validating a form and inserting one row (/send, CSRF off, for
submit_floor.py; /send-csrf, the same through Flask-WTF with CSRF on), a bare Flask-WTF
page of BARE_QUESTIONS Likert questions drawn by a Jinja loop over each field's choices (/page),
and /send-same: the same write as Inquiry's send done bare (CSRF on; read a draft of
BARE_ANSWERS answers, insert a response and its answers, delete the draft, in one transaction;
drafts made beforehand by make_drafts). Used by member_floor.py."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from flask import Flask, abort, render_template_string, request
from flask_wtf import FlaskForm
from sqlalchemy import event
from wtforms import HiddenField, RadioField
from wtforms.validators import InputRequired, Length, Optional

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
drafts = sa.Table(
    "bare_draft",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token", sa.String(36), unique=True),
    sa.Column("answers", sa.JSON),
)
answers = sa.Table(
    "bare_answer",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("response_id", sa.Integer, sa.ForeignKey("bare_response.id"), index=True),
    sa.Column("question", sa.String(40)),
    sa.Column("value", sa.Integer),
)
metadata.create_all(engine)
app = Flask(__name__)
app.config.update(SECRET_KEY="bare floor", WTF_CSRF_TIME_LIMIT=None)
QUESTIONS = int(os.environ.get("BARE_QUESTIONS", "5"))
CHOICES = [
    ("5", "Strongly agree"),
    ("4", "Agree"),
    ("3", "Not sure"),
    ("2", "Disagree"),
    ("1", "Strongly disagree"),
    ("prefer_not_to_say", "I'd rather not say"),
]
PageForm = type(
    "PageForm",
    (FlaskForm,),
    {
        f"q{i}": RadioField(
            f"Question {i}: the group takes my ideas up", choices=CHOICES, validators=[Optional()]
        )
        for i in range(QUESTIONS)
    },
)
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page (Step 1 of 8)</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main><form method="post" action="/page" novalidate>{{ form.csrf_token }}
<h1>How the group works</h1>
{% for field in form if field.name != "csrf_token" %}
<div class="group"><fieldset><legend class="legend">{{ field.label.text }}</legend>
<div class="radios">{% for value, label in field.choices %}
{% set rid = field.id if loop.first else field.id ~ "-" ~ loop.index %}
<div class="radio"><input type="radio" id="{{ rid }}" name="{{ field.name }}" value="{{ value }}"
{%- if field.data == value %} checked{% endif %}><label for="{{ rid }}">{{ label }}</label></div>
{% endfor %}</div></fieldset></div>
{% endfor %}
<button type="submit" class="button">Continue</button></form></main></body></html>"""


class SendForm(FlaskForm):
    token = HiddenField(validators=[InputRequired(), Length(36, 36)])
    value = RadioField(choices=CHOICES[:5], validators=[InputRequired()])


@app.get("/page")
def page():
    return render_template_string(PAGE, form=PageForm())


@app.post("/send-csrf")
def send_csrf():
    form = SendForm()
    if not form.validate():
        abort(400)
    with engine.begin() as conn:
        conn.execute(rows.insert().values(token=form.token.data, value=int(form.value.data)))
    return "", 204


@app.post("/send")
def send():
    token = request.form.get("token", "")
    value = request.form.get("value", "")
    if len(token) != 36 or value not in {"1", "2", "3", "4", "5"}:
        abort(400)
    with engine.begin() as conn:
        conn.execute(rows.insert().values(token=token, value=int(value)))
    return "", 204


@app.post("/send-same")
def send_same():
    form = SendForm()
    if not form.validate():
        abort(400)
    with engine.begin() as conn:
        draft = conn.execute(
            sa.select(drafts.c.id, drafts.c.answers).where(drafts.c.token == form.token.data)
        ).first()
        if draft is None:
            abort(404)
        response_id = conn.execute(
            rows.insert().values(token=form.token.data, value=int(form.value.data))
        ).inserted_primary_key[0]
        conn.execute(
            answers.insert(),
            [{"response_id": response_id, "question": q, "value": v} for q, v in draft.answers],
        )
        conn.execute(drafts.delete().where(drafts.c.id == draft.id))
    return "", 204


def make_drafts(count: int, answered: int) -> list[str]:
    """`count` drafts of `answered` answers each, for /send-same; returns their tokens."""
    made = [token() for _ in range(count)]
    with engine.begin() as conn:
        conn.execute(
            drafts.insert(),
            [
                {"token": t, "answers": [[f"q{i}", 1 + i % 5] for i in range(answered)]}
                for t in made
            ],
        )
    return made


def token() -> str:
    return str(uuid.uuid4())
