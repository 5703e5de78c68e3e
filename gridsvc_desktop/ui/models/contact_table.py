"""Community contacts as a table: the rows the page's (SQL-side) filter returned.

Filtering by community, kind and text happens in SQL (services.contacts
.list_contacts); a county has a few thousand contacts, so sorting what came
back is left to a QSortFilterProxyModel over SORT_ROLE.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services.contacts import ContactRow
from gridsvc_desktop.ui.models.row_table import RowTableModel
from gridsvc_desktop.ui.qt import (
    QBrush,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

AnyIndex = QModelIndex | QPersistentModelIndex
CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = QColor("#8a949e")


class Column(IntEnum):
    KIND = 0
    NAME = 1
    PHONE = 2
    WECHAT = 3
    COMMUNITY = 4
    COMPOUND = 5
    BUILDING = 6
    GRID = 7
    NOTES = 8


class ContactTableModel(RowTableModel[ContactRow]):
    PHONE_COLUMN = Column.PHONE

    def text(self, r: ContactRow, column: int, *, unmask: bool | None = None) -> str:
        show_full = self.show_full(unmask)
        match column:
            case Column.KIND:
                return r.kind_label
            case Column.NAME:
                return r.name
            case Column.PHONE:
                return r.phone if show_full else mask_phone(r.phone)
            case Column.WECHAT:
                return r.wechat_group
            case Column.COMMUNITY:
                return r.community
            case Column.COMPOUND:
                return r.compound
            case Column.BUILDING:
                return r.building
            case Column.GRID:
                return r.grid
            case Column.NOTES:
                return r.notes
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.GRID and not r.grid:
                return self.tr("(no grid)")
            return self.text(r, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.WECHAT, Column.NOTES):
            return self.text(r, column) or None
        if role == SORT_ROLE:
            if column == Column.BUILDING:  # 2栋 before 10栋
                digits = "".join(ch for ch in r.building if ch.isascii() and ch.isdigit())
                return f"{r.community}\x1f{r.compound}\x1f{digits.zfill(8)}{r.building}"
            return self.text(r, column, unmask=True)
        if role == CONTACT_ROLE:
            return r
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.GRID and not r.grid:
            return QBrush(MUTED)
        return None

    def column_titles(self) -> list[str]:
        return [
            self.tr("Role"),
            self.tr("Name"),
            self.tr("Phone"),
            self.tr("WeChat group"),
            self.tr("Community"),
            self.tr("Compound"),
            self.tr("Building"),
            self.tr("Grid"),
            self.tr("Notes"),
        ]
