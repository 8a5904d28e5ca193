"""PDFs from our own HTML. The only module that imports WeasyPrint."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Serve data: URIs and files under our static folder; refuse everything else,
        before any connection is made, so nothing a member wrote can fetch anything."""

        def __init__(self, static_root: Path):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
            self.static_root = static_root.resolve()

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(self.static_root) or not path.is_file():
                    raise ValueError("only our own static files may be used")
            elif scheme != "data":
                raise ValueError("only our own static files may be used")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


_font_config = None


def render_pdf(html: str) -> bytes:
    """A tagged (PDF/UA-1) PDF of the given HTML, with our fonts embedded. The document's
    <title> and <html lang> become the PDF's title and language."""
    return render_pdf_with(html, current_app.static_folder)


def render_pdf_with(html: str, static_folder: str) -> bytes:
    """render_pdf without the app: for the render worker's own low-priority process."""
    global _font_config
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    static = Path(static_folder)
    document = weasyprint.HTML(
        string=html,
        base_url=static.as_uri() + "/",
        url_fetcher=_fetcher_class()(static),
    )
    return document.write_pdf(pdf_variant="pdf/ua-1", font_config=_font_config)
