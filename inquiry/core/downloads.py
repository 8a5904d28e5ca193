"""Files handed to signed-in people to save: exports and PDFs."""

from __future__ import annotations

import io

from flask import Response, send_file


def attachment(body: str | bytes, mimetype: str, filename: str) -> Response:
    """A download with its file name (Flask quotes names safely, other scripts included)."""
    data = body.encode() if isinstance(body, str) else body
    return send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename
    )
