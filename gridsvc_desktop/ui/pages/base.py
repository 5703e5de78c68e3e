"""What the main window needs from a page."""

from __future__ import annotations

from typing import ClassVar

from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.qt import QPushButton, QWidget


class Page(QWidget):
    """One entry of the left navigation.

    A subclass sets `key` and `icon_name` (a file in resources/icons, without
    ".svg") and implements `title()` with an explicit translation context, since
    the title is needed before any instance exists. Pages are built the first
    time they are shown, so a page that needs openpyxl or reportlab costs
    nothing at start-up as long as it imports them inside its actions.
    """

    key: ClassVar[str] = ""
    icon_name: ClassVar[str] = ""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"page_{self.key}")

    @classmethod
    def title(cls) -> str:
        raise NotImplementedError

    def activated(self) -> None:
        """The page has just been shown: put the focus where work starts."""

    def reload(self) -> None:
        """The data underneath changed (demo built, ledger imported): show it afresh."""


def action_button(text: str, name: str, allowed: bool) -> QPushButton:
    """A page's action button. `allowed` (the signed-in role's right) is kept as a
    property, so that the page's button update can combine it with what is selected."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setProperty("allowed", allowed)
    button.setEnabled(allowed)
    return button
