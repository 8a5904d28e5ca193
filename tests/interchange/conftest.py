"""The browser fixtures of tests/browser, for the import pages' browser test here."""

from ..browser.conftest import artifacts, axe_source, browser, open_page  # noqa: F401
