"""The pages of the main window's navigation, in order.

Adding a page is one line: append its class to PAGES (see pages/base.py for
what a page class provides).
"""

from __future__ import annotations

from gridsvc_desktop.ui.pages.audit import AuditPage
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.pages.calls import CallsPage
from gridsvc_desktop.ui.pages.contacts import ContactsPage
from gridsvc_desktop.ui.pages.customers import CustomersPage
from gridsvc_desktop.ui.pages.desk import DeskPage
from gridsvc_desktop.ui.pages.grids import GridsPage
from gridsvc_desktop.ui.pages.orders import OrdersPage
from gridsvc_desktop.ui.pages.reports import ReportsPage
from gridsvc_desktop.ui.pages.roster import RosterPage

PAGES: tuple[type[Page], ...] = (
    CallsPage,
    CustomersPage,
    OrdersPage,
    DeskPage,
    GridsPage,
    RosterPage,
    ContactsPage,
    ReportsPage,
    AuditPage,  # admins only (Permission.view_audit)
)

__all__ = [
    "PAGES",
    "AuditPage",
    "CallsPage",
    "ContactsPage",
    "CustomersPage",
    "DeskPage",
    "GridsPage",
    "OrdersPage",
    "Page",
    "ReportsPage",
    "RosterPage",
]
