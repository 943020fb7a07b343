"""The headless page runner: HTML pages and scripts run under a virtual origin.

See docs/page-runner.md for what a page can use and how it differs from a browser.
"""

from jsapi.page.page import ConsoleEntry, Page, PageError, PageLoadError, PageResult

__all__ = ["ConsoleEntry", "Page", "PageError", "PageLoadError", "PageResult"]
