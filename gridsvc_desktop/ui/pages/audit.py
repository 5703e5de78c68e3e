"""The audit trail, for admins: filters, newest first, more on demand, CSV export, chain check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from gridsvc_desktop.db.models import AuditLog
from gridsvc_desktop.services import audit_view
from gridsvc_desktop.services.actor import Permission
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.qt import (
    QAbstractTableModel,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)

PAGE_SIZE = 500
AnyIndex = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    COLUMNS = ("id", "at", "username", "action", "entity", "entity_id", "before_json", "after_json")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditLog] = []

    def headers(self) -> list[str]:
        return [
            QCoreApplication.translate("AuditModel", "No."),
            QCoreApplication.translate("AuditModel", "Time"),
            QCoreApplication.translate("AuditModel", "User"),
            QCoreApplication.translate("AuditModel", "Action"),
            QCoreApplication.translate("AuditModel", "Object"),
            QCoreApplication.translate("AuditModel", "Object id"),
            QCoreApplication.translate("AuditModel", "Before"),
            QCoreApplication.translate("AuditModel", "After"),
        ]

    def set_rows(self, rows: Sequence[AuditLog], *, append: bool = False) -> None:
        if append:
            if not rows:
                return
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def last_id(self) -> int | None:
        return self._rows[-1].id if self._rows else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        value = getattr(self._rows[index.row()], self.COLUMNS[index.column()])
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return "" if value is None else str(value)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None


class AuditPage(Page):
    key = "audit"
    icon_name = "reports"
    permission: ClassVar[Permission] = Permission.view_audit

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("AuditPage", "Audit log")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actor = ctx.acting()
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.user_combo = self._combo("user_filter")
        self.action_combo = self._combo("action_filter")
        self.entity_combo = self._combo("entity_filter")
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-30))
        self.since_edit.setObjectName("since")
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.until_edit = QDateEdit(QDate.currentDate())
        self.until_edit.setObjectName("until")
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat("yyyy-MM-dd")
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("text_filter")
        self.text_edit.setPlaceholderText(self.tr("Text in the values"))
        self.text_edit.setProperty("draft", False)
        for label, widget in (
            (self.tr("User"), self.user_combo),
            (self.tr("Action"), self.action_combo),
            (self.tr("Object"), self.entity_combo),
            (self.tr("From"), self.since_edit),
            (self.tr("To"), self.until_edit),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.text_edit, 1)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setObjectName("search")
        self.search_button.clicked.connect(self._on_search_button_clicked)
        bar.addWidget(self.search_button)
        layout.addLayout(bar)

        self.model = AuditModel(self)
        self.view = QTableView()
        self.view.setObjectName("audit_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("audit_count")
        bottom.addWidget(self.count_label, 1)
        self.more_button = QPushButton(self.tr("More"))
        self.more_button.setObjectName("more")
        self.more_button.clicked.connect(self._on_more_button_clicked)
        bottom.addWidget(self.more_button)
        self.verify_button = QPushButton(self.tr("Check the chain"))
        self.verify_button.setObjectName("verify")
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        bottom.addWidget(self.verify_button)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("export")
        self.export_button.setEnabled(self.actor.may(Permission.export))
        self.export_button.clicked.connect(self._on_export_button_clicked)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        self.reload()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setMinimumContentsLength(8)
        return combo

    def _fill_combos(self) -> None:
        with self.ctx.db.read() as s:
            values = {
                c: audit_view.distinct_values(s, self.actor, c)
                for c in ("username", "action", "entity")
            }
        for combo, column in (
            (self.user_combo, "username"),
            (self.action_combo, "action"),
            (self.entity_combo, "entity"),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(self.tr("(all)"), "")
            for v in values[column]:
                combo.addItem(v, v)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def current_filter(self) -> audit_view.AuditFilter:
        since = self.since_edit.date().toPython()
        until = self.until_edit.date().toPython()
        return audit_view.AuditFilter(
            username=str(self.user_combo.currentData() or ""),
            action=str(self.action_combo.currentData() or ""),
            entity=str(self.entity_combo.currentData() or ""),
            since=dt.datetime.combine(since, dt.time()),  # type: ignore[arg-type]
            until=dt.datetime.combine(until, dt.time()) + dt.timedelta(days=1),  # type: ignore[arg-type]
            text=self.text_edit.text().strip(),
        )

    def reload(self) -> None:
        """Refill the filter choices (keeping the chosen ones), then search."""
        self._fill_combos()
        self.search()

    def search(self) -> None:
        f = self.current_filter()
        with self.ctx.db.read() as s:
            rows = audit_view.query_audit(s, self.actor, f, limit=PAGE_SIZE)
            total = audit_view.count_audit(s, self.actor, f)
        self.model.set_rows(rows)
        self._show_count(total)

    def _show_count(self, total: int) -> None:
        shown = self.model.rowCount()
        self.count_label.setText(
            self.tr("{shown} of {total} entries shown").format(shown=shown, total=total)
        )
        self.more_button.setEnabled(shown < total)

    def _on_search_button_clicked(self) -> None:
        self.search()

    def _on_more_button_clicked(self) -> None:
        f = self.current_filter()
        with self.ctx.db.read() as s:
            rows = audit_view.query_audit(
                s, self.actor, f, limit=PAGE_SIZE, before_id=self.model.last_id()
            )
            total = audit_view.count_audit(s, self.actor, f)
        self.model.set_rows(rows, append=True)
        self._show_count(total)

    def verify_text(self) -> str:
        with self.ctx.db.read() as s:
            bad = audit_view.verify(s, self.actor)
        if bad is None:
            return self.tr("The audit log is intact: every entry matches the one before.")
        return self.tr(
            "Entry {id} of the audit log was altered or damaged; entries after it cannot be trusted."
        ).format(id=bad)

    def _on_verify_button_clicked(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("verify_result")
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(self.verify_text())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def export_to(self, path: Path) -> int:
        with self.ctx.db.write() as s:
            n = audit_view.export_audit(s, self.actor, self.current_filter(), path)
        self.ctx.events.changed.emit("audit")
        return n

    def _on_export_button_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the audit log"), "审计日志.csv", self.tr("CSV files (*.csv)")
        )
        if not name:
            return
        n = self.export_to(Path(name))
        self.count_label.setText(self.tr("{n} entries exported to {file}").format(n=n, file=name))
