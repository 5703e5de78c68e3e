"""The outage page's tables: outages, and the notification checklist of one outage.

Both hold what one service call returned (a few hundred outages at most, a few
hundred notifications per outage) in the shared in-memory row model
(`row_table.RowTableModel`); sorting is the proxy's, over SORT_ROLE.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from gridsvc_desktop.domain.enums import OutageStatus
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services.outage_notices import NotificationRow
from gridsvc_desktop.services.outages import OutageRow
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.models.row_table import AnyIndex, RowTableModel
from gridsvc_desktop.ui.qt import QBrush, QColor, QCoreApplication, Qt

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
WARN = QColor("#b3261e")
ACTIVE = QColor("#1f5fa8")
MUTED = QColor("#8a949e")


class OutageColumn(IntEnum):
    KIND = 0
    STATUS = 1
    START = 2
    END = 3
    SCOPE = 4
    REASON = 5
    PENDING = 6


class OutageTableModel(RowTableModel[OutageRow]):
    def column_titles(self) -> list[str]:
        return [
            QCoreApplication.translate("OutageTableModel", "Kind"),
            QCoreApplication.translate("OutageTableModel", "Status"),
            QCoreApplication.translate("OutageTableModel", "Planned start"),
            QCoreApplication.translate("OutageTableModel", "Planned end"),
            QCoreApplication.translate("OutageTableModel", "Scope"),
            QCoreApplication.translate("OutageTableModel", "Reason"),
            QCoreApplication.translate("OutageTableModel", "Not yet told"),
        ]

    def text(self, r: OutageRow, column: int, *, unmask: bool | None = None) -> str:
        match column:
            case OutageColumn.KIND:
                return r.kind.label
            case OutageColumn.STATUS:
                return r.status.label
            case OutageColumn.START:
                return fmt.date_time(r.planned_start)
            case OutageColumn.END:
                return fmt.date_time(r.planned_end)
            case OutageColumn.SCOPE:
                return r.scope
            case OutageColumn.REASON:
                return r.reason
            case OutageColumn.PENDING:
                return str(r.pending) if r.pending else ""
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        c = OutageColumn(index.column())
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(r, c)
        if role == SORT_ROLE:
            if c is OutageColumn.START:
                return r.planned_start.isoformat()
            if c is OutageColumn.END:
                return r.planned_end.isoformat()
            if c is OutageColumn.PENDING:
                return r.pending
            return self.text(r, c)
        if role == Qt.ItemDataRole.ForegroundRole:
            if c is OutageColumn.STATUS and r.status is OutageStatus.in_progress:
                return QBrush(WARN)
            if c is OutageColumn.STATUS and r.status is OutageStatus.announced:
                return QBrush(ACTIVE)
            if c is OutageColumn.PENDING and r.pending:
                return QBrush(WARN)
            if r.status in (OutageStatus.restored, OutageStatus.cancelled):
                return QBrush(MUTED)
        if role == Qt.ItemDataRole.ToolTipRole and c in (OutageColumn.SCOPE, OutageColumn.REASON):
            return self.text(r, c)
        return None


class NoticeColumn(IntEnum):
    KIND = 0
    WHO = 1
    NAME = 2
    PHONE = 3
    WHERE = 4
    STATE = 5


class NotificationTableModel(RowTableModel[NotificationRow]):
    PHONE_COLUMN = NoticeColumn.PHONE

    def column_titles(self) -> list[str]:
        return [
            QCoreApplication.translate("NotificationTableModel", "Message"),
            QCoreApplication.translate("NotificationTableModel", "Role"),
            QCoreApplication.translate("NotificationTableModel", "Name"),
            QCoreApplication.translate("NotificationTableModel", "Phone"),
            QCoreApplication.translate("NotificationTableModel", "Where"),
            QCoreApplication.translate("NotificationTableModel", "Told"),
        ]

    def text(self, r: NotificationRow, column: int, *, unmask: bool | None = None) -> str:
        match column:
            case NoticeColumn.KIND:
                if r.kind == "restoration":
                    return QCoreApplication.translate("NotificationTableModel", "Restoration")
                if r.kind == "cancellation":
                    return QCoreApplication.translate("NotificationTableModel", "Cancellation")
                return QCoreApplication.translate("NotificationTableModel", "Notice")
            case NoticeColumn.WHO:
                return r.who
            case NoticeColumn.NAME:
                return r.name
            case NoticeColumn.PHONE:
                return r.phone if self.show_full(unmask) else mask_phone(r.phone)
            case NoticeColumn.WHERE:
                return r.where
            case NoticeColumn.STATE:
                if r.sent_at is None:
                    return QCoreApplication.translate("NotificationTableModel", "Pending")
                return f"{fmt.date_time(r.sent_at)}　{r.channel.label}"
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        c = NoticeColumn(index.column())
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(r, c)
        if role == SORT_ROLE:
            if c is NoticeColumn.STATE:  # pending first, then by when
                return r.sent_at.isoformat() if r.sent_at is not None else ""
            return self.text(r, c, unmask=True)
        if role == Qt.ItemDataRole.ForegroundRole and c is NoticeColumn.STATE and r.pending:
            return QBrush(WARN)
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.message
        return None
