"""QR codes for posters."""

from __future__ import annotations

import io

import segno


def qr_data_uri(link: str) -> str:
    """An SVG QR code of the link, as a data: URI (black on white, quiet zone kept)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=8, border=4, dark="#000")
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
