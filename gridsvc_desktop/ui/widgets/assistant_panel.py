"""智能辅助: ready answers for the customer on the line, beside the call screen.

The answers drawn from the records (停电情况, 欠费情况, 网格经理, 工单进度) come
first, then the standard-answer library, each filled from the customer's data
(services/assistant.py). Choosing one shows its text; "Copy" (or a double
click, or Ctrl+Shift+C) puts it on the clipboard and emits `answer_copied(key)`
so that the call screen records it on the call. Data the records lack shows as
【未登记：…】 and is listed under the text. Everything is read from the local
store: it works offline.
"""

from __future__ import annotations

from typing import Any

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services import assistant
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.assistant import Answer
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.orders_history import RowsTableModel
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QColor,
    QFont,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from gridsvc_desktop.ui.widgets.customer_card import ACCENT_COLOR

LIVE_BACKGROUND = "#eaf1fb"
GAP_COLOR = "#b9770e"

# ---- worker side (no widgets)


def load_answers(db: Database, actor: Actor, customer_id: int, reveal: bool) -> list[Answer]:
    """The customer's answers; a store that never had the library (older than
    0003) gets the standard answers seeded first (first use)."""
    with db.read() as session:
        empty = assistant.library_is_empty(session)
    if empty:
        with db.write() as session:
            assistant.ensure_library(session)
    with db.read() as session:
        return assistant.answers_for_customer(
            session=session, actor=actor, customer_id=customer_id, reveal=reveal
        )


# ---- the list


class AnswerListModel(RowsTableModel[Answer]):
    """The answers as rows (category, title); a filter narrows them to those
    whose title or category has the text, then those whose text has it.
    Answers from the records are shaded and bold."""

    CATEGORY, TITLE = range(2)
    KEY_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Answer] = []
        self._filter = ""

    def set_answers(self, answers: list[Answer]) -> None:
        self._all = list(answers)
        self.set_rows(self._filtered())

    def set_filter(self, text: str) -> None:
        self._filter = text.strip()
        self.set_rows(self._filtered())

    def _filtered(self) -> list[Answer]:
        f = self._filter
        if not f:
            return list(self._all)
        named = [a for a in self._all if f in a.title or f in a.category]
        return named + [a for a in self._all if a not in named and f in a.text]

    def answer_at(self, row: int) -> Answer | None:
        return self.row_at(row)

    def row_of(self, key: str) -> int:
        return next((i for i, a in enumerate(self._rows) if a.key == key), -1)

    def titles(self) -> list[str]:
        return [self.tr("Category"), self.tr("Answer")]

    def cell(self, row: Answer, column: int) -> str:
        if column == self.CATEGORY:
            return row.category
        return row.title + (" ⚠" if row.gaps else "")

    def background(self, row: Answer) -> QColor | None:
        return QColor(LIVE_BACKGROUND) if row.live else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        answer = self.row_at(index.row()) if index.isValid() else None
        if answer is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if answer.gaps:
                return self.tr("The records lack: {names}").format(names="、".join(answer.gaps))
            return None
        if role == Qt.ItemDataRole.FontRole and answer.live and index.column() == self.TITLE:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.KEY_ROLE:
            return answer.key
        return super().data(index, role)


# ---- the panel


class AssistantPanel(QFrame):
    """Ready answers for one customer; copy one with a click."""

    #: The desk copied this answer (its key) for the customer on the line.
    answer_copied = Signal(str)
    #: A lead asked to edit the library.
    edit_library_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistant_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.ctx = ctx
        self.customer_id: int | None = None
        self._generation = 0
        self._task: Task | None = None

        self.heading = QLabel(self.tr("Assistant"))
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        self.heading.setStyleSheet(f"color: {ACCENT_COLOR};")
        self.library_button = QPushButton(self.tr("Edit library…"))
        self.library_button.setObjectName("assistant_library")
        self.library_button.setToolTip(self.tr("Edit the standard answers (team leads)"))
        self.library_button.setVisible(ctx.acting().may(Permission.dispatch))
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("assistant_filter")
        self.filter_edit.setPlaceholderText(self.tr("Find an answer (price, transfer, payment…)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.model = AnswerListModel(self)
        self.table = QTableView()
        self.table.setObjectName("assistant_answers")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(
            AnswerListModel.CATEGORY, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setStretchLastSection(True)
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("assistant_text")
        self.text_view.setReadOnly(True)
        self.text_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.gaps_label = QLabel()
        self.gaps_label.setObjectName("assistant_gaps")
        self.gaps_label.setTextFormat(Qt.TextFormat.PlainText)
        self.gaps_label.setWordWrap(True)
        self.gaps_label.setStyleSheet(f"color: {GAP_COLOR};")
        self.gaps_label.setVisible(False)
        self.copy_button = QPushButton(self.tr("Copy answer"))
        self.copy_button.setObjectName("assistant_copy")
        self.copy_button.setStyleSheet("font-weight: bold;")
        self.copy_button.setToolTip(
            self.tr("Copy the text and note on the call that it was given (Ctrl+Shift+C)")
        )
        self.copy_button.setEnabled(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("assistant_status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.library_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.text_view, 2)
        layout.addWidget(self.gaps_label)
        layout.addLayout(bottom)
        self.setMinimumWidth(300)

        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.library_button.clicked.connect(self.edit_library_requested)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+C"), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self._on_copy_button_clicked)
        self.clear()

    # ---- what is shown

    def clear(self, message: str = "") -> None:
        self._generation += 1
        self.customer_id = None
        self.model.set_answers([])
        self._show(None)
        self.status_label.setText(message or self.tr("Choose the caller to see ready answers."))

    def show_customer(self, customer_id: int) -> None:
        """Load the answers for this customer (on a worker)."""
        self.customer_id = customer_id
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
        ctx = self.ctx
        reveal = ctx.unmask
        self.status_label.setText(self.tr("Loading answers…"))
        self._task = run_in_background(
            self,
            lambda _p: load_answers(ctx.db, ctx.acting(), customer_id, reveal),
            on_success=lambda found: self._on_loaded(generation, found),
            on_failure=lambda error: self._on_failed(generation, error),
        )

    def reload(self) -> None:
        if self.customer_id is not None:
            self.show_customer(self.customer_id)

    def current_answer(self) -> Answer | None:
        return self.model.answer_at(self.table.currentIndex().row())

    def select(self, key: str) -> bool:
        row = self.model.row_of(key)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.model.index(row, AnswerListModel.TITLE))
        return True

    def copy_current(self) -> str:
        """Copy the answer shown to the clipboard and announce it; its key, or ""."""
        answer = self.current_answer()
        if answer is None:
            return ""
        QGuiApplication.clipboard().setText(answer.text)
        self.status_label.setText(self.tr("Copied: {title}").format(title=answer.title))
        self.answer_copied.emit(answer.key)
        return answer.key

    def _show(self, answer: Answer | None) -> None:
        self.text_view.setPlainText(answer.text if answer else "")
        self.copy_button.setEnabled(answer is not None)
        if answer is not None and answer.gaps:
            self.gaps_label.setText(
                self.tr(
                    "Not in the records: {names}. Ask the caller or check before reading it out."
                ).format(names="、".join(answer.gaps))
            )
            self.gaps_label.setVisible(True)
        else:
            self.gaps_label.setVisible(False)

    # ---- callbacks

    def _on_loaded(self, generation: int, found: list[Answer]) -> None:
        if generation != self._generation:
            return
        self._task = None
        keep = self.current_answer()
        self.model.set_answers(found)
        self.status_label.setText(
            self.tr("{count} answers for this customer").format(count=len(found))
        )
        if not (keep and self.select(keep.key)) and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, AnswerListModel.TITLE))

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._task = None
            self.model.set_answers([])
            self._show(None)
            self.status_label.setText(error_text(error))

    # ---- slots

    def _on_filter_edit_text_changed(self, text: str) -> None:
        keep = self.current_answer()
        self.model.set_filter(text)
        if not (keep and self.select(keep.key)) and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, AnswerListModel.TITLE))
        elif not self.model.rowCount():
            self._show(None)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.answer_at(current.row()) if current.isValid() else None)

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self.copy_current()

    def _on_copy_button_clicked(self) -> None:
        self.copy_current()
