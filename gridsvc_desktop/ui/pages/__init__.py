"""The pages of the main window's navigation, in order.

Adding a page is one line: append its class to PAGES (see pages/base.py for
what a page class provides).
"""

from __future__ import annotations

from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.pages.customers import CustomersPage

PAGES: tuple[type[Page], ...] = (CustomersPage,)

__all__ = ["PAGES", "CustomersPage", "Page"]
