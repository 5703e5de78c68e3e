"""The roster as a table, and the proxy that searches, filters and sorts it.

A station has a few hundred people, so the whole roster is one list in memory
and a QSortFilterProxyModel sorts and filters it at once (the large tables,
customers, do this in SQL instead).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from gridsvc_desktop.domain.enums import Specialty
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services.roster import StaffRow
from gridsvc_desktop.ui.models.row_table import RowTableModel
from gridsvc_desktop.ui.qt import (
    QBrush,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

AnyIndex = QModelIndex | QPersistentModelIndex
STAFF_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = QColor("#8a949e")
LEAVE = QColor("#b9770e")


class Column(IntEnum):
    EMPLOYEE_NO = 0
    NAME = 1
    PHONE = 2
    POSITION = 3
    TEAM = 4
    SPECIALTIES = 5
    BASE = 6
    GRIDS = 7
    STATUS = 8


class Status(IntEnum):
    ALL = 0
    ACTIVE = 1
    INACTIVE = 2
    ON_LEAVE = 3


class RosterTableModel(RowTableModel[StaffRow]):
    PHONE_COLUMN = Column.PHONE

    def status_text(self, r: StaffRow) -> str:
        if not r.active:
            return self.tr("Inactive")
        if r.on_leave_until is not None:
            if r.substitute:
                return self.tr("On leave until {date}, {name} stands in").format(
                    date=r.on_leave_until.strftime("%m-%d"), name=r.substitute
                )
            return self.tr("On leave until {date}").format(date=r.on_leave_until.strftime("%m-%d"))
        return self.tr("Active")

    def text(self, r: StaffRow, column: int, *, unmask: bool | None = None) -> str:
        show_full = self.show_full(unmask)
        match column:
            case Column.EMPLOYEE_NO:
                return r.employee_no
            case Column.NAME:
                return r.name
            case Column.PHONE:
                return r.phone if show_full else mask_phone(r.phone)
            case Column.POSITION:
                return r.position
            case Column.TEAM:
                return r.team
            case Column.SPECIALTIES:
                return r.specialty_labels
            case Column.BASE:
                return r.base_area
            case Column.GRIDS:
                return r.grid_labels
            case Column.STATUS:
                return self.status_text(r)
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(r, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.GRIDS, Column.SPECIALTIES):
            return self.text(r, column) or None
        if role == SORT_ROLE:
            if column == Column.STATUS:
                return (0 if r.active else 2) + (1 if r.on_leave_until else 0)
            return self.text(r, column, unmask=True)
        if role == STAFF_ROLE:
            return r
        if role == Qt.ItemDataRole.ForegroundRole:
            if not r.active:
                return QBrush(MUTED)
            if column == Column.STATUS and r.on_leave_until is not None:
                return QBrush(LEAVE)
        return None

    def column_titles(self) -> list[str]:
        return [
            self.tr("Employee no."),
            self.tr("Name"),
            self.tr("Mobile"),
            self.tr("Position"),
            self.tr("Team"),
            self.tr("Specialties"),
            self.tr("Based in"),
            self.tr("Grids"),
            self.tr("Status"),
        ]


class RosterFilter(QSortFilterProxyModel):
    """Text search (employee no., name, phone, team, position, grid) plus filters."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._team = ""
        self._specialty: Specialty | None = None
        self._status = Status.ALL
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_filters(
        self,
        *,
        text: str | None = None,
        team: str | None = None,
        specialty: Specialty | bool | None = False,
        status: Status | None = None,
    ) -> None:
        """Change any of the filters (arguments left out stay as they are)."""
        begin_filter_change(self)
        if text is not None:
            self._text = text.strip().lower()
        if team is not None:
            self._team = team
        if specialty is not False:
            self._specialty = specialty if isinstance(specialty, Specialty) else None
        if status is not None:
            self._status = status
        end_filter_change(self)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RosterTableModel):
            return True
        r = model.row_at(source_row)
        if r is None:
            return False
        if self._team and r.team != self._team:
            return False
        if self._specialty is not None and self._specialty not in r.specialties:
            return False
        match self._status:
            case Status.ACTIVE:
                if not r.active:
                    return False
            case Status.INACTIVE:
                if r.active:
                    return False
            case Status.ON_LEAVE:
                if not r.active or r.on_leave_until is None:
                    return False
        if self._text:
            hay = " ".join(
                (r.employee_no, r.name, r.phone, r.team, r.position, r.base_area, r.grid_labels)
            ).lower()
            return all(part in hay for part in self._text.split())
        return True


def begin_filter_change(proxy: QSortFilterProxyModel) -> None:
    """Qt 6.10+ wants filter changes bracketed; older Qt just re-filters at the end."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()


def end_filter_change(proxy: QSortFilterProxyModel) -> None:
    if hasattr(proxy, "endFilterChange"):
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:  # pragma: no cover - Qt < 6.10
        proxy.invalidateRowsFilter()
