"""A combo box to pick one of many (grids, staff, communities, transformer areas)
by typing any part of its name: editable, completes on substrings, and says
whether what is typed names an item (`current_id`, `is_valid`)."""

from __future__ import annotations

from collections.abc import Sequence

from gridsvc_desktop.ui.qt import QComboBox, Qt, QWidget

#: Item data of the "nothing" entry.
NONE_ID = -1


class Picker(QComboBox):
    def __init__(
        self,
        items: Sequence[tuple[int, str]] = (),
        *,
        none_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        completer = self.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._none_text = none_text
        self.set_items(items)

    def set_items(self, items: Sequence[tuple[int, str]]) -> None:
        keep = self.current_id()
        self.blockSignals(True)
        self.clear()
        if self._none_text is not None:
            self.addItem(self._none_text, NONE_ID)
        for item_id, text in items:
            self.addItem(text, item_id)
        self.blockSignals(False)
        self.set_current_id(keep)

    def set_current_id(self, item_id: int | None) -> None:
        index = self.findData(NONE_ID if item_id is None else item_id)
        if index < 0 and self._none_text is None:
            index = -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def _matching_index(self) -> int:
        text = self.currentText().strip()
        if not text:
            return self.findData(NONE_ID)
        return self.findText(text, Qt.MatchFlag.MatchExactly)

    def is_valid(self) -> bool:
        """True when the text names an item (or is empty/none where none is allowed)."""
        text = self.currentText().strip()
        if not text:
            return self._none_text is not None
        return self._matching_index() >= 0

    def current_id(self) -> int | None:
        """The id of the item the text names; None for nothing or no match."""
        index = self._matching_index()
        if index < 0:
            return None
        value = self.itemData(index)
        return None if value is None or value == NONE_ID else int(value)
