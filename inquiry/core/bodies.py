"""How request bodies are read: capped in size and in number of fields, and refused whole
when they cannot be decoded, so that nobody's answers are half read."""

from __future__ import annotations

import codecs
from urllib.parse import parse_qsl

from flask import Flask, Request, current_app
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser


class UndecodableForm(BadRequest):
    """A form body that is not UTF-8, raw or percent-encoded. Werkzeug would hand the view
    an empty form (raw) or the literal text "%FF%FE" (encoded); both are refused whole."""

    description = "The form could not be decoded."


class _FormParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        # Werkzeug counts the fields of multipart bodies only; count these too, before
        # building them (the body itself is already capped by MAX_CONTENT_LENGTH).
        body = stream.read()
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise RequestEntityTooLarge()
        try:
            items = parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise UndecodableForm() from None
        return stream, self.cls(items), self.cls()

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = _MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


def _strict_utf8(data, errors="strict"):
    try:
        return codecs.utf_8_decode(data, "strict", True)
    except UnicodeDecodeError:
        raise UndecodableForm() from None


# Werkzeug decodes a multipart form's text fields with errors="replace" (an upload's other
# fields would arrive as "\ufffd" with nothing said); this codec ignores that and refuses.
_STRICT = "inquiry_strict_utf8"
codecs.register(
    lambda name: (
        codecs.CodecInfo(codecs.utf_8_encode, _strict_utf8, name=_STRICT)
        if name == _STRICT
        else None
    )
)


class _MultiPartParser(MultiPartParser):
    def get_part_charset(self, headers) -> str:
        charset = super().get_part_charset(headers)
        return charset if charset == "iso-8859-1" else _STRICT


class InquiryRequest(Request):
    form_data_parser_class = _FormParser

    @property
    def max_content_length(self) -> int | None:
        """MAX_CONTENT_LENGTH, or the larger limit of an upload page (UPLOAD_MAX_BYTES)."""
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return super().max_content_length
        uploads = current_app.config["UPLOAD_MAX_BYTES"]
        if self.endpoint in uploads:
            return uploads[self.endpoint]
        return current_app.config["MAX_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def init_app(app: Flask) -> None:
    app.request_class = InquiryRequest
