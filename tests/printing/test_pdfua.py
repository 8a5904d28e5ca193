"""Every kind of PDF we print passes the PDF/UA-1 checker (the pdfua package) with nothing
found: the demo's real group, its summary in each language, the other kinds in one each."""

from __future__ import annotations

import json

import pikepdf
import pytest

from inquiry.extensions import db

from ..accounts.test_login import sign_in
from ..factories import make_user
from ..pdfs import fetch_pdf
from .reading import embedded_fonts, pdfua_problems, structure

LANGUAGES = ("en_GB", "pl", "so", "ar", "ro")
KINDS = [
    *(("summary", language) for language in LANGUAGES),
    ("large-print", "en_GB"),
    ("easy-read", "ar"),
    ("rollup", "en_GB"),
    ("poster", "ar"),
    ("paper-member", "pl"),
    ("paper-peer_worker", "ro"),
    ("paper-large-print", "so"),
]


@pytest.fixture(scope="module")
def printed(app, tmp_path_factory):
    """Each kind of PDF, printed once for the demo's walking group: the closed cycle's
    summaries and the open cycle's poster and paper questionnaires."""
    folder = tmp_path_factory.mktemp("printed")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    cycles = json.loads(runner.invoke(args=["cycles", "--json"]).output)
    walking = [c for c in cycles if c["group"] == "Riverside Walking Group"]
    closed = next(c["id"] for c in walking if c["title"] == "Summer 2026")
    open_ = next(c["id"] for c in walking if c["state"] == "open")
    files = {}

    def report(kind, language, *options):
        path = folder / f"{kind}-{language}.pdf"
        result = runner.invoke(
            args=["report", str(closed), "--format", "pdf", "--lang", language, *options]
            + ["-o", str(path)]
        )
        assert result.exit_code == 0, result.output
        files[kind, language] = path

    for kind, language in KINDS:
        if kind == "summary":
            report(kind, language)
        elif kind in ("large-print", "easy-read"):
            report(kind, language, f"--{kind}")
    with app.app_context():
        from inquiry.cycles.models import Cycle

        group = db.session.get(Cycle, open_).group
        make_user("facilitator", group.network, [group], email="pdfua@example.org")
        network_id = group.network_id
        db.session.commit()
    path = folder / "rollup-en_GB.pdf"
    result = runner.invoke(args=["rollup", str(network_id), "--format", "pdf", "-o", str(path)])
    assert result.exit_code == 0, result.output
    files["rollup", "en_GB"] = path
    client = app.test_client()
    assert sign_in(client, "pdfua@example.org").status_code == 302
    urls = {
        "poster": "poster.pdf?lang={}",
        "paper-member": "paper/member.pdf?lang={}",
        "paper-peer_worker": "paper/peer_worker.pdf?lang={}",
        "paper-large-print": "paper/member.pdf?variant=large-print&lang={}",
    }
    for kind, language in KINDS:
        if kind in urls:
            path = folder / f"{kind}-{language}.pdf"
            url = f"/workspace/cycles/{open_}/" + urls[kind].format(language)
            path.write_bytes(fetch_pdf(app, client, url))
            files[kind, language] = path
    return files


@pytest.mark.parametrize(("kind", "language"), KINDS, ids=[f"{k}-{lang}" for k, lang in KINDS])
def test_each_kind_of_pdf_passes_the_pdf_ua_checker(printed, kind, language):
    path = printed[kind, language]
    assert pdfua_problems(path) == []
    roles = [role for _depth, role, _marks in structure(path)]
    with pikepdf.open(path) as pdf:
        elements = list(_elements(pdf.Root.StructTreeRoot))
    # Table headers say what they head; no table hides inside another (a caption laid out
    # apart once made one); a figure always has words.
    assert all("/Scope" in e.A for e in elements if e.S == "/TH")
    assert not any(_has(e, "/Table") for e in elements if e.S == "/Table")
    assert all("/Alt" in e for e in elements if e.S == "/Figure")
    if kind.startswith("paper"):
        assert "/Table" not in roles  # questions and their answers are lists
    fonts = embedded_fonts(path.read_bytes())
    assert fonts and all(fonts.values()), fonts
    if language == "ar":
        assert "Noto-Naskh-Arabic" in fonts


def _elements(node):
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _has(element, role) -> bool:
    return any(str(e.S) == role for e in _elements(element))
