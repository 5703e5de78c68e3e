"""Today's calls at the desk: a small table (a day's calls are a few hundred),
with unknown callers (no customer yet) marked so they get linked later."""

from __future__ import annotations

from typing import Any

from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services.calls import CallRow
from gridsvc_desktop.ui.models.orders_history import RowsTableModel
from gridsvc_desktop.ui.qt import QColor, QModelIndex, QPersistentModelIndex, Qt
from gridsvc_desktop.ui.widgets import order_clock

CALL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class CallTableModel(RowsTableModel[CallRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.unmask = False

    def titles(self) -> list[str]:
        return [
            self.tr("Time"),
            self.tr("In/out"),
            self.tr("Channel"),
            self.tr("Caller"),
            self.tr("Phone"),
            self.tr("Category"),
            self.tr("Summary"),
            self.tr("Duration"),
            self.tr("Linked to"),
        ]

    def cell(self, row: CallRow, column: int) -> str:
        match column:
            case 0:
                return row.started_at.strftime("%H:%M")
            case 1:
                return str(row.direction.label)
            case 2:
                return str(row.channel.label)
            case 3:
                if row.customer_id is None:
                    name = row.caller_name or self.tr("Unknown caller")
                    return self.tr("{name} (not linked)").format(name=name)
                return row.customer_name or row.caller_name
            case 4:
                return row.phone if self.unmask else mask_phone(row.phone)
            case 5:
                return str(row.category.label) if row.category else ""
            case 6:
                return " ".join(row.summary.split())
            case 7:
                if row.duration_s is None:
                    return self.tr("running") if row.ended_at is None else ""
                minutes, seconds = divmod(row.duration_s, 60)
                return f"{minutes}:{seconds:02d}"
            case 8:
                if row.order_number:
                    return row.order_number
                return self.tr("Outage") if row.outage_id else ""
        return ""

    def foreground(self, row: CallRow, column: int) -> QColor | None:
        if row.customer_id is None and column == 3:
            return QColor(order_clock.NEAR_FG)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == CALL_ID_ROLE:
            row = self.row_at(index.row()) if index.isValid() else None
            return row.id if row is not None else None
        return super().data(index, role)
