"""The join-code poster, read back from its PDF: in the group's language unless the
facilitator picks another, Arabic included."""

from __future__ import annotations

import pytest

from ..accounts.test_login import sign_in
from ..factories import make_group, make_open_cycle, make_user
from ..pdfs import make_waiting_pdfs
from .reading import embedded_fonts, pages_text, pdf_text, reads_back

POSTER_TEXTS = (
    "How is the group going for you?",
    "Tell us on your phone. It takes about 5 minutes, and you do not give your name.",
    "Answer as many questions as you like, then press Send.",
    "Would you rather use paper? Ask the facilitator for a paper copy.",
)


@pytest.fixture
def polish_group_cycle(app, client):
    """An open cycle of a group that speaks Polish, for its signed-in facilitator."""
    with app.app_context():
        group = make_group(name="Ogród", default_language="pl")
        make_user("facilitator", group.network, [group], email="poster@example.org")
        cycle = make_open_cycle(group)
        ids = cycle.id, cycle.active_code("member")
    assert sign_in(client, "poster@example.org").status_code == 302
    return ids


def _print(app, client, url):
    asked = client.get(url)
    assert asked.status_code == 303, asked.status_code
    assert make_waiting_pdfs(app) == 1
    return client.get(asked.headers["Location"])


@pytest.mark.parametrize("language", [None, "ar", "en_GB"])
def test_the_poster_speaks_the_groups_language_or_the_one_chosen(
    app, client, polish_group_cycle, language
):
    from flask_babel import force_locale
    from flask_babel import gettext as translate

    cycle_id, code = polish_group_cycle
    query = f"?lang={language}" if language else ""
    response = _print(app, client, f"/workspace/cycles/{cycle_id}/poster.pdf{query}")
    suffix = f"-{language}" if language else ""  # the group's own language is not named
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=poster-{cycle_id}-member{suffix}.pdf"
    )
    text = pdf_text(response.data)
    with app.test_request_context(), force_locale(language or "pl"):
        expected = [translate(message) for message in POSTER_TEXTS]
    if language != "en_GB":
        assert expected[0] != POSTER_TEXTS[0]  # really translated
    for phrase in expected:
        assert reads_back(phrase, text), phrase
    assert code in text
    assert len(pages_text(response.data)) == 1
    fonts = embedded_fonts(response.data)
    assert all(fonts.values())
    assert ("Noto-Naskh-Arabic" in fonts) == (language == "ar")


def test_a_poster_language_we_do_not_have_is_not_found(app, client, polish_group_cycle):
    cycle_id, _code = polish_group_cycle
    assert client.get(f"/workspace/cycles/{cycle_id}/poster.pdf?lang=xx").status_code == 404
