"""Keeping what the user was typing: a form's content survives a crash or a power cut.

A widget that holds user input registers with the application's draft keeper,
in one line, once its children are built:

    keep_draft(self, "work_order/new")                 # a dialog: the whole form
    keep_draft(self.search_edit, "customers/search")   # one input widget

The keeper watches the form's input widgets (line edits, text edits, combo
boxes, spin boxes, check boxes, date edits; password fields never), and a
second after each change writes the content of every changed form to
`<data folder>/drafts.json`; on an unexpected error it writes at once
(`save_now`). When the program starts again and a form with the same key
registers, the saved content is put back into the same widgets and a note
says so (`take_notes()` / the `note` signal: the main window shows it in its
status bar).

A draft ends when its form ends normally: a dialog accepted or cancelled, a
widget destroyed while the program runs on or closes normally. After a crash
the keeper is frozen until the user chooses to carry on (`resume()`), so a
program closed from the crash dialog leaves every draft in the file.

Fields are found by objectName, or by their class and order in the form when
they have none; give a field `setProperty("draft", False)` to leave it out.
Keys are free text; include the record's id when two copies of a form may be
open at once (`f"customer/{customer_id}"`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridsvc_desktop.ui.qt import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QCoreApplication,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QSpinBox,
    Qt,
    QTextEdit,
    QTimer,
    QWidget,
    Signal,
    is_valid,
)

log = logging.getLogger(__name__)

DRAFTS_FILE_NAME = "drafts.json"
FORMAT_VERSION = 1
KEEPER_NAME = "draft_keeper"
#: Drafts whose form never came back are dropped after this many days.
MAX_AGE_DAYS = 30

INPUT_TYPES = (
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractButton,
)


def _is_input(widget: QWidget) -> bool:
    if isinstance(widget, QAbstractButton):
        return widget.isCheckable()
    return isinstance(widget, INPUT_TYPES)


def _kept(widget: QWidget) -> bool:
    if widget.property("draft") is False:
        return False
    return not (isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal)


def read_value(widget: QWidget) -> Any:
    """The widget's content as JSON-able data."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    return None


def write_value(widget: QWidget, value: Any) -> None:
    """Put `value` (from read_value) back into the widget; wrong types are ignored."""
    if isinstance(widget, QLineEdit) and isinstance(value, str):
        widget.setText(value)
    elif isinstance(widget, QPlainTextEdit | QTextEdit) and isinstance(value, str):
        widget.setPlainText(value)
    elif isinstance(widget, QComboBox) and isinstance(value, str):
        index = widget.findText(value)
        if index >= 0:
            widget.setCurrentIndex(index)
        elif widget.isEditable():
            widget.setCurrentText(value)
    elif isinstance(widget, QDateTimeEdit) and isinstance(value, str):
        moment = QDateTime.fromString(value, Qt.DateFormat.ISODate)
        if moment.isValid():
            widget.setDateTime(moment)
    elif isinstance(widget, QSpinBox) and isinstance(value, int) and not isinstance(value, bool):
        widget.setValue(value)
    elif isinstance(widget, QDoubleSpinBox) and isinstance(value, int | float):
        widget.setValue(float(value))
    elif isinstance(widget, QAbstractButton) and isinstance(value, bool):
        widget.setChecked(value)


def change_signals(widget: QWidget) -> list[Any]:
    """The signals that fire when the user changes the widget's content."""
    if isinstance(widget, QLineEdit):
        return [widget.textChanged]
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QComboBox):
        return [widget.currentIndexChanged, widget.editTextChanged]
    if isinstance(widget, QDateTimeEdit):
        return [widget.dateTimeChanged]
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return [widget.valueChanged]
    if isinstance(widget, QAbstractButton):
        return [widget.toggled]
    return []


def form_fields(form: QWidget) -> dict[str, QWidget]:
    """The input widgets of `form` (itself included), by a name stable across runs.

    Widgets inside another input widget (the line edit of a spin box or an
    editable combo box) are part of it, not fields of their own.
    """
    candidates = [form, *form.findChildren(QWidget)]
    fields: dict[str, QWidget] = {}
    counts: dict[str, int] = {}
    for widget in candidates:
        if not _is_input(widget):
            continue
        parent = widget.parentWidget()
        inside_input = False
        while parent is not None and widget is not form:
            if _is_input(parent):
                inside_input = True
                break
            if parent is form:
                break
            parent = parent.parentWidget()
        if inside_input or not _kept(widget):
            continue
        name = widget.objectName()
        if not name:  # unnamed fields are numbered by class, in creation order
            kind = type(widget).__name__
            counts[kind] = counts.get(kind, 0) + 1
            name = f"{kind}#{counts[kind]}"
        fields.setdefault(name, widget)
    return fields


@dataclass
class _Form:
    key: str
    title: str
    widget: QWidget
    fields: dict[str, QWidget]
    initial: dict[str, Any]
    dirty: bool = False
    connections: list[tuple[Any, Callable[..., None]]] = field(default_factory=list)

    def alive(self) -> bool:
        return is_valid(self.widget)

    def changed_values(self) -> dict[str, Any]:
        """Fields whose content differs from when the form registered (or was restored)."""
        out: dict[str, Any] = {}
        for name, widget in self.fields.items():
            if not is_valid(widget):
                continue
            value = read_value(widget)
            if value != self.initial.get(name):
                out[name] = value
        return out


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


class DraftKeeper(QObject):
    """Saves the content of registered forms to a JSON file and restores it on the next start."""

    #: A note for the user after a form was refilled from a draft.
    note = Signal(str)

    SAVE_DELAY_MS = 1000

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(KEEPER_NAME)
        self.path = path
        self._forms: dict[str, _Form] = {}
        self._stored: dict[str, dict[str, Any]] = self._load()
        self._notes: list[str] = []
        self._frozen = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.SAVE_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    # ---- finding the keeper

    @classmethod
    def install(cls, path: Path) -> DraftKeeper:
        """The application's keeper, saving to `path` (replaces an earlier one)."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("DraftKeeper.install needs a QApplication")
        old = cls.instance()
        if old is not None:
            old.uninstall()
        return cls(path, app)

    @classmethod
    def instance(cls) -> DraftKeeper | None:
        app = QCoreApplication.instance()
        if app is None:
            return None
        found = app.findChild(cls, KEEPER_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
        return found if isinstance(found, cls) else None

    def uninstall(self, *, clean: bool = True) -> None:
        """Stop watching: the program is closing.

        A clean exit ends every open form, so their drafts go (drafts of forms
        that never came back this run stay). After a crash (`frozen`) the file
        is left as the crash wrote it; an unclean exit writes what is open.
        """
        self._timer.stop()
        if self._frozen:
            pass
        elif clean:
            for form in self._forms.values():
                self._disconnect(form)
            self._forms.clear()
            self._write()
        else:
            self._write(force=True)
        for form in self._forms.values():
            self._disconnect(form)
        self._forms.clear()
        self.setObjectName("")
        self.setParent(None)
        self.deleteLater()

    # ---- forms

    def register(self, form: QWidget, key: str, title: str = "") -> bool:
        """Watch `form`; refill it from a saved draft. True if it was refilled."""
        if key in self._forms:
            log.warning("draft key %r registered twice; the newer form wins", key)
            self._disconnect(self._forms.pop(key))
        fields = form_fields(form)
        entry = _Form(
            key=key,
            title=title or form.windowTitle() or key,
            widget=form,
            fields=fields,
            initial={name: read_value(w) for name, w in fields.items()},
        )
        restored = False
        saved = self._stored.pop(key, None)
        if saved and isinstance(saved.get("fields"), dict):
            for name, value in saved["fields"].items():
                widget = fields.get(name)
                if widget is not None:
                    write_value(widget, value)
                    restored = True
            entry.dirty = restored  # the form differs from a blank one: keep saving it
        for widget in fields.values():
            for signal in change_signals(widget):
                slot = self._changed_slot(key)
                signal.connect(slot)
                entry.connections.append((signal, slot))
        form.destroyed.connect(lambda *_args, e=entry: self._on_form_destroyed(e))
        if isinstance(form, QDialog):
            form.finished.connect(lambda *_args, e=entry: self._on_form_finished(e))
        self._forms[key] = entry
        if restored:
            when = str(saved.get("saved_at", "")).replace("T", " ") if saved else ""
            text = QCoreApplication.translate(
                "DraftKeeper",
                "Restored what you were typing in “{form}” before the program stopped "
                "unexpectedly ({time}).",
            ).format(form=entry.title, time=when)
            self._notes.append(text)
            self.note.emit(text)
            log.info("restored the draft of %s saved at %s", key, when)
        return restored

    def discard(self, key: str) -> None:
        """The form is done with (submitted or cancelled): forget its draft."""
        form = self._forms.pop(key, None)
        if form is not None:
            self._disconnect(form)
        had = self._stored.pop(key, None) is not None
        if form is not None or had:
            self._schedule()

    def keys(self) -> list[str]:
        """Keys of the forms being watched."""
        return list(self._forms)

    def stored_keys(self) -> list[str]:
        """Keys of drafts in the file whose form has not come back yet."""
        return list(self._stored)

    def take_notes(self) -> list[str]:
        """Notes about restored forms not yet shown to the user."""
        notes, self._notes = self._notes, []
        return notes

    # ---- saving

    def save_now(self, *, freeze: bool = False) -> Path | None:
        """Write every changed form now (on an unexpected error: `freeze` keeps it so)."""
        if freeze:
            self._frozen = True
        self._timer.stop()
        return self._write(force=True)

    def resume(self) -> None:
        """The user carries on after an error: forms that end normally drop their drafts again."""
        self._frozen = False

    @property
    def frozen(self) -> bool:
        return self._frozen

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """What would be written: saved drafts not yet restored, plus every changed live form."""
        forms = dict(self._stored)
        for key, form in self._forms.items():
            if not form.alive():
                continue
            values = form.changed_values()
            if values:
                forms[key] = {"title": form.title, "saved_at": _now(), "fields": values}
            else:
                forms.pop(key, None)
        return forms

    def _schedule(self) -> None:
        if not self._frozen:
            self._timer.start()

    def _write(self, *, force: bool = False) -> Path | None:
        if self._frozen and not force:
            return None
        try:
            forms = self.snapshot()
            if not forms:
                self.path.unlink(missing_ok=True)
                return None
            payload = {"version": FORMAT_VERSION, "saved_at": _now(), "forms": forms}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump(payload, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            return self.path
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("could not save drafts to %s: %s", self.path, exc)
            return None

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable drafts file %s: %s", self.path, exc)
            return {}
        forms = data.get("forms") if isinstance(data, dict) else None
        if not isinstance(forms, dict):
            return {}
        cutoff = dt.datetime.now() - dt.timedelta(days=MAX_AGE_DAYS)
        kept: dict[str, dict[str, Any]] = {}
        for key, entry in forms.items():
            if not isinstance(entry, dict):
                continue
            try:
                saved = dt.datetime.fromisoformat(str(entry.get("saved_at", "")))
            except ValueError:
                saved = dt.datetime.now()
            if saved >= cutoff:
                kept[str(key)] = entry
        return kept

    # ---- slots

    def _on_form_changed(self, key: str) -> None:
        form = self._forms.get(key)
        if form is not None:
            form.dirty = True
            self._schedule()

    def _changed_slot(self, key: str) -> Callable[..., None]:
        def slot(*_args: object) -> None:
            self._on_form_changed(key)

        return slot

    def _on_form_destroyed(self, entry: _Form) -> None:
        if self._frozen:
            return  # closing after a crash: the file keeps what it has
        if self._forms.get(entry.key) is entry:  # not a newer form under the same key
            del self._forms[entry.key]
            self._schedule()

    def _on_form_finished(self, entry: _Form) -> None:
        if self._forms.get(entry.key) is entry:
            self.discard(entry.key)

    def _on_timer_timeout(self) -> None:
        self._write()

    @staticmethod
    def _disconnect(form: _Form) -> None:
        for signal, slot in form.connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        form.connections.clear()


def keep_draft(form: QWidget, key: str, title: str = "") -> bool:
    """Register `form` with the application's draft keeper (no-op when there is none).

    Call it once the form's input widgets exist. True if the form was refilled
    from a draft the previous run left behind.
    """
    keeper = DraftKeeper.instance()
    if keeper is None:
        return False
    return keeper.register(form, key, title)


def drafts_path(root: Path) -> Path:
    return root / DRAFTS_FILE_NAME
