"""Dialogs of the outage page: announce an outage, give a reason (cancel), edit
the message templates."""

from __future__ import annotations

import datetime as dt

from gridsvc_desktop.domain import templates
from gridsvc_desktop.domain.enums import OutageKind
from gridsvc_desktop.domain.outage_rules import check_notice
from gridsvc_desktop.services import outage_notices
from gridsvc_desktop.services import outages as outage_svc
from gridsvc_desktop.services.actor import Permission
from gridsvc_desktop.ui.background import error_text
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.qt import (
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.grid_figures import WARNING_COLOR

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _qdt(value: dt.datetime) -> QDateTime:
    return QDateTime(value.year, value.month, value.day, value.hour, value.minute, 0)


def _pydt(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def default_window(kind: OutageKind, at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Planned: 08:00–18:00 eight days on; temporary: 09:00–12:00 two days on;
    fault: from now, four hours."""
    at = at.replace(second=0, microsecond=0)
    if kind is OutageKind.planned:
        day = at.date() + dt.timedelta(days=8)
        return dt.datetime.combine(day, dt.time(8)), dt.datetime.combine(day, dt.time(18))
    if kind is OutageKind.temporary:
        day = at.date() + dt.timedelta(days=2)
        return dt.datetime.combine(day, dt.time(9)), dt.datetime.combine(day, dt.time(12))
    return at, at + dt.timedelta(hours=4)


class AnnounceDialog(QDialog):
    """Announce an outage: kind, window, reason, scope (feeders and/or areas);
    the notice period is checked as the times change."""

    def __init__(
        self, ctx: UiContext, choices: outage_svc.ScopeChoices, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("announce_dialog")
        self.setWindowTitle(self.tr("Announce an outage"))
        self.ctx, self.choices = ctx, choices
        self.actor = ctx.acting()
        self.result_id: int | None = None

        self.kind_box = QComboBox()
        self.kind_box.setObjectName("outage_kind")
        for k in OutageKind:
            self.kind_box.addItem(k.label, k.value)
        self.start_edit = QDateTimeEdit()
        self.start_edit.setObjectName("outage_start")
        self.end_edit = QDateTimeEdit()
        self.end_edit.setObjectName("outage_end")
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("outage_reason")
        self.reason_edit.setPlaceholderText(self.tr("For example: 10 kV line maintenance"))
        self.feeder_list = QListWidget()
        self.feeder_list.setObjectName("outage_feeders")
        for fid, name in choices.feeders:
            self._add_item(self.feeder_list, fid, name)
        self.area_filter = QLineEdit()
        self.area_filter.setObjectName("outage_area_filter")
        self.area_filter.setPlaceholderText(self.tr("Filter areas by code, name or feeder"))
        self.area_filter.setClearButtonEnabled(True)
        self.area_list = QListWidget()
        self.area_list.setObjectName("outage_areas")
        for a in choices.areas:
            text = f"{a.code}　{a.name}" + (f"（{a.feeder}）" if a.feeder else "")
            self._add_item(self.area_list, a.id, text)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("outage_notice_check")
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.setWordWrap(True)
        self.late_edit = QLineEdit()
        self.late_edit.setObjectName("outage_late_reason")
        self.late_edit.setPlaceholderText(self.tr("Why the notice is late (team lead only)"))
        self.error_label = QLabel()
        self.error_label.setObjectName("outage_error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {WARNING_COLOR};")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )

        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind_box)
        form.addRow(self.tr("Planned start"), self.start_edit)
        form.addRow(self.tr("Planned end"), self.end_edit)
        form.addRow(self.tr("Reason"), self.reason_edit)
        scope = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(self.tr("Whole feeders")))
        left.addWidget(self.feeder_list)
        right.addWidget(QLabel(self.tr("Single transformer areas")))
        right.addWidget(self.area_filter)
        right.addWidget(self.area_list)
        scope.addLayout(left, 1)
        scope.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(scope, 1)
        layout.addWidget(self.notice_label)
        late = QFormLayout()
        late.addRow(self.tr("Late notice reason"), self.late_edit)
        layout.addLayout(late)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(760, 560)

        self.kind_box.currentIndexChanged.connect(self._on_kind_box_current_index_changed)
        self.start_edit.dateTimeChanged.connect(self._on_times_changed)
        self.end_edit.dateTimeChanged.connect(self._on_times_changed)
        self.area_filter.textChanged.connect(self._on_area_filter_text_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._on_kind_box_current_index_changed(0)

    @staticmethod
    def _add_item(widget: QListWidget, item_id: int, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(ID_ROLE, item_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)

    @staticmethod
    def _checked(widget: QListWidget) -> list[int]:
        out = []
        for i in range(widget.count()):
            item = widget.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(ID_ROLE)))
        return out

    def check_items(self, widget: QListWidget, ids: list[int]) -> None:
        for i in range(widget.count()):
            item = widget.item(i)
            if int(item.data(ID_ROLE)) in ids:
                item.setCheckState(Qt.CheckState.Checked)

    def kind(self) -> OutageKind:
        return OutageKind(self.kind_box.currentData())

    def data(self) -> outage_svc.OutageInput:
        return outage_svc.OutageInput(
            kind=self.kind(),
            planned_start=_pydt(self.start_edit.dateTime()),
            planned_end=_pydt(self.end_edit.dateTime()),
            reason=self.reason_edit.text(),
            feeder_ids=self._checked(self.feeder_list),
            transformer_area_ids=self._checked(self.area_list),
            late_notice_reason=self.late_edit.text() if self.late_edit.isEnabled() else "",
        )

    def _on_kind_box_current_index_changed(self, _index: int) -> None:
        start, end = default_window(self.kind(), dt.datetime.now())
        self.start_edit.setDateTime(_qdt(start))
        self.end_edit.setDateTime(_qdt(end))
        self._on_times_changed()

    def _on_times_changed(self, *_args: object) -> None:
        check = check_notice(
            self.kind(), _pydt(self.start_edit.dateTime()), dt.datetime.now(), self.choices.policy
        )
        text = check.describe()
        if check.late:
            if self.actor.may(Permission.dispatch):
                text += self.tr(". A late notice needs the reason below.")
            else:
                text += self.tr(". Only a team lead may announce it, with a reason.")
        self.notice_label.setText(text)
        self.notice_label.setStyleSheet(f"color: {WARNING_COLOR};" if check.late else "")
        self.late_edit.setEnabled(check.late and self.actor.may(Permission.dispatch))

    def _on_area_filter_text_changed(self, text: str) -> None:
        needle = text.strip()
        for i in range(self.area_list.count()):
            item = self.area_list.item(i)
            item.setHidden(bool(needle) and needle not in item.text())

    def _on_buttons_accepted(self) -> None:
        data = self.data()
        try:
            with self.ctx.db.write() as session:
                outage = outage_svc.announce(session=session, actor=self.actor, data=data)
                self.result_id = outage.id
        except Exception as error:  # shown to the user; the dialog stays open
            self.error_label.setText(error_text(error))
            return
        self.accept()


class ReasonDialog(QDialog):
    """One line of text the action needs (why an outage is cancelled)."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reason_dialog")
        self.setWindowTitle(title)
        self.edit = QLineEdit()
        self.edit.setObjectName("reason_edit")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout(self)
        form.addRow(label, self.edit)
        form.addRow(buttons)
        self.resize(420, self.sizeHint().height())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def text(self) -> str:
        return self.edit.text().strip()


class TemplateDialog(QDialog):
    """Edit the message templates (stored in the settings table)."""

    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, outage_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("template_dialog")
        self.setWindowTitle(self.tr("Message templates"))
        self.ctx = ctx
        self.outage_id = outage_id
        self.actor = ctx.acting()
        self.name_box = QComboBox()
        self.name_box.setObjectName("template_name")
        for name, (title, _) in outage_notices.DEFAULT_TEMPLATES.items():
            self.name_box.addItem(title, name)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("template_text")
        self.help_label = QLabel(
            self.tr("Placeholders: {names}").format(
                names="　".join("{" + p + "}" for p in templates.PLACEHOLDERS)
            )
        )
        self.help_label.setTextFormat(Qt.TextFormat.PlainText)
        self.help_label.setWordWrap(True)
        self.preview_view = QPlainTextEdit()
        self.preview_view.setObjectName("template_preview")
        self.preview_view.setReadOnly(True)
        self.preview_view.setMaximumHeight(self.fontMetrics().height() * 5 + 12)
        self.error_label = QLabel()
        self.error_label.setObjectName("template_error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {WARNING_COLOR};")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("template_save")
        self.save_button.setEnabled(self.actor.may(Permission.dispatch))
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_box)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.help_label)
        layout.addWidget(
            QLabel(
                self.tr("Preview (the chosen outage)")
                if outage_id is not None
                else self.tr("Preview (sample data)")
            )
        )
        layout.addWidget(self.preview_view)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(620, 380)
        self.name_box.currentIndexChanged.connect(self._on_name_box_current_index_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        buttons.rejected.connect(self.reject)
        self._on_name_box_current_index_changed(0)

    def _on_name_box_current_index_changed(self, _index: int) -> None:
        with self.ctx.db.read() as session:
            self.text_edit.setPlainText(
                outage_notices.get_template(session, self.name_box.currentData())
            )
        self.error_label.clear()

    def _on_text_edit_text_changed(self) -> None:
        with self.ctx.db.read() as session:
            self.preview_view.setPlainText(
                outage_notices.preview(session, self.text_edit.toPlainText(), self.outage_id)
            )

    def _on_save_button_clicked(self) -> None:
        try:
            with self.ctx.db.write() as session:
                outage_notices.set_template(
                    session=session, actor=self.actor, name=self.name_box.currentData(),
                    text=self.text_edit.toPlainText(),
                )  # fmt: skip
        except Exception as error:
            self.error_label.setText(error_text(error))
            return
        self.error_label.setText(self.tr("Saved."))
