"""The collectors' dialogs on the 欠费 page: a reminder or notice (with a
promised date), a payment, a cut-off (only when the rules allow it).

Each dialog only gathers input; the page calls the service with the arrear's
version and shows what the service refuses (wrong date, rule not met, someone
else's change) in the dialog's message line, keeping what was typed.
"""

from __future__ import annotations

import datetime as dt

from gridsvc_desktop.domain.cutoff import CutoffCheck
from gridsvc_desktop.domain.enums import CollectionKind
from gridsvc_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)

K = CollectionKind
REMINDER_KINDS = (K.phone, K.sms, K.wechat, K.visit, K.posted_notice)
NOTICE_KINDS = (K.written_notice, K.final_notice)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class _Base(QDialog):
    def __init__(self, title: str, subject: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.subject = QLabel(subject)
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        self.subject.setWordWrap(True)
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setObjectName("collection_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b03a2e;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subject)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def show_error(self, text: str) -> None:
        self.message.setText(text)


class ActionDialog(_Base):
    """A reminder or a notice, its result, and optionally the promised date."""

    def __init__(
        self,
        subject: str,
        *,
        notices: bool = False,
        promise: bool = False,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        if notices:
            title = QCoreApplication.translate("ActionDialog", "Record a notice")
        elif promise:
            title = QCoreApplication.translate("ActionDialog", "Record a promise")
        else:
            title = QCoreApplication.translate("ActionDialog", "Record a reminder")
        super().__init__(title, subject, parent)
        today = today or dt.date.today()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("action_kind")
        for kind in NOTICE_KINDS if notices else REMINDER_KINDS:
            self.kind_combo.addItem(kind.label, kind.value)
        self.result_edit = QLineEdit()
        self.result_edit.setObjectName("action_result")
        self.result_edit.setMaxLength(300)
        self.promise_check = QCheckBox(self.tr("Promised to pay by"))
        self.promise_check.setObjectName("action_promise")
        self.promise_date = QDateEdit(_qdate(today + dt.timedelta(days=7)))
        self.promise_date.setObjectName("action_promise_date")
        self.promise_date.setCalendarPopup(True)
        self.promise_date.setMinimumDate(_qdate(today))
        self.promise_date.setDisplayFormat("yyyy-MM-dd")
        self.promise_check.setChecked(promise)
        self.promise_date.setEnabled(promise)
        self.promise_check.toggled.connect(self.promise_date.setEnabled)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("action_note")
        self.note_edit.setMaximumHeight(70)
        self.form.addRow(self.tr("How"), self.kind_combo)
        self.form.addRow(self.tr("Result"), self.result_edit)
        if not notices:
            self.form.addRow(self.promise_check, self.promise_date)
        self.form.addRow(self.tr("Note"), self.note_edit)

    @property
    def kind(self) -> CollectionKind:
        return CollectionKind(self.kind_combo.currentData())

    @property
    def result_text(self) -> str:
        return self.result_edit.text()

    @property
    def note(self) -> str:
        return self.note_edit.toPlainText()

    @property
    def promised_on(self) -> dt.date | None:
        if not self.promise_check.isChecked():
            return None
        return _pydate(self.promise_date.date())


class PaymentDialog(_Base):
    """The customer paid: on which day, and a note (receipt number…)."""

    def __init__(
        self, subject: str, *, today: dt.date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            QCoreApplication.translate("PaymentDialog", "Record a payment"), subject, parent
        )
        today = today or dt.date.today()
        self.paid_date = QDateEdit(_qdate(today))
        self.paid_date.setObjectName("payment_date")
        self.paid_date.setCalendarPopup(True)
        self.paid_date.setMaximumDate(_qdate(today))
        self.paid_date.setDisplayFormat("yyyy-MM-dd")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("payment_note")
        self.form.addRow(self.tr("Paid on"), self.paid_date)
        self.form.addRow(self.tr("Note"), self.note_edit)

    @property
    def paid_on(self) -> dt.date:
        return _pydate(self.paid_date.date())

    @property
    def note(self) -> str:
        return self.note_edit.text()


class CutoffDialog(_Base):
    """Record a cut-off: says which rule applies and whether it is met; OK only then."""

    def __init__(self, subject: str, check: CutoffCheck, *, parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("CutoffDialog", "Record a cut-off"), subject, parent
        )
        self.rule_label = QLabel(check.reason)
        self.rule_label.setObjectName("cutoff_rule")
        self.rule_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rule_label.setWordWrap(True)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("cutoff_note")
        self.form.addRow(self.tr("Rule"), self.rule_label)
        self.form.addRow(self.tr("Note"), self.note_edit)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(check.allowed)

    @property
    def note(self) -> str:
        return self.note_edit.text()
