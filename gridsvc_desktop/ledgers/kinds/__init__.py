"""The database side of each ledger kind (link, compare, write)."""

from __future__ import annotations

from gridsvc_desktop.ledgers.kinds.base import Kind
from gridsvc_desktop.ledgers.kinds.billing import ArrearsKind, OrdersKind
from gridsvc_desktop.ledgers.kinds.customers import CustomersKind
from gridsvc_desktop.ledgers.kinds.network import GridsKind, TransformerAreasKind
from gridsvc_desktop.ledgers.kinds.people import ContactsKind, StaffKind

KINDS: dict[str, type[Kind]] = {
    "customers": CustomersKind,
    "transformer_areas": TransformerAreasKind,
    "grids": GridsKind,
    "staff": StaffKind,
    "contacts": ContactsKind,
    "arrears": ArrearsKind,
    "orders_95598": OrdersKind,
}

__all__ = ["KINDS", "Kind"]
