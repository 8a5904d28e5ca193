"""The browser's fixtures (tests/browser/conftest.py), for this package's one browser test."""

from ..browser.conftest import artifacts, axe_source, browser, open_page  # noqa: F401
