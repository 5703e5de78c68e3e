"""The pages of the main window's navigation, in order.

Adding a page is one line: append its class to PAGES (see pages/base.py for
what a page class provides).
"""

from __future__ import annotations

from gridsvc_desktop.ui.pages.arrears import ArrearsPage
from gridsvc_desktop.ui.pages.audit import AuditPage
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.pages.calls import CallsPage
from gridsvc_desktop.ui.pages.contacts import ContactsPage
from gridsvc_desktop.ui.pages.customers import CustomersPage
from gridsvc_desktop.ui.pages.desk import DeskPage
from gridsvc_desktop.ui.pages.grids import GridsPage
from gridsvc_desktop.ui.pages.ledgers import LedgersPage
from gridsvc_desktop.ui.pages.orders import OrdersPage
from gridsvc_desktop.ui.pages.outages import OutagesPage
from gridsvc_desktop.ui.pages.reports import ReportsPage
from gridsvc_desktop.ui.pages.roster import RosterPage

PAGES: tuple[type[Page], ...] = (
    CallsPage,
    CustomersPage,
    OrdersPage,
    DeskPage,
    OutagesPage,  # 停电
    GridsPage,
    RosterPage,
    ContactsPage,
    ArrearsPage,  # 欠费
    ReportsPage,
    LedgersPage,  # admins and team leads (Permission.export)
    AuditPage,  # admins only (Permission.view_audit)
)

__all__ = [
    "PAGES",
    "ArrearsPage",
    "AuditPage",
    "CallsPage",
    "ContactsPage",
    "CustomersPage",
    "DeskPage",
    "GridsPage",
    "LedgersPage",
    "OrdersPage",
    "OutagesPage",
    "Page",
    "ReportsPage",
    "RosterPage",
]
