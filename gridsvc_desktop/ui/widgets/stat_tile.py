"""A figure on the desk: a big number with its caption, coloured when it needs
attention (near due: amber; overdue: red)."""

from __future__ import annotations

from gridsvc_desktop.ui.qt import QFont, QFrame, QLabel, Qt, QVBoxLayout, QWidget
from gridsvc_desktop.ui.widgets.customer_card import ACCENT_COLOR
from gridsvc_desktop.ui.widgets.order_clock import NEAR_BG, NEAR_FG, OVERDUE_BG, OVERDUE_FG

STYLES = {
    "normal": (ACCENT_COLOR, "#f4f7fb", "#d5dce5"),
    "near": (NEAR_FG, NEAR_BG, "#efd38a"),
    "overdue": (OVERDUE_FG, OVERDUE_BG, "#f0b4ad"),
    "good": ("#2e7d32", "#eaf5ea", "#b9dcbb"),
}


class StatTile(QFrame):
    def __init__(self, caption: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.value_label = QLabel("—")
        self.value_label.setObjectName(f"{name}_value")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.value_label.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_label.setWordWrap(True)
        self.detail_label = QLabel("")
        self.detail_label.setObjectName(f"{name}_detail")
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.detail_label)
        self.setMinimumWidth(104)
        self.set_value("—")

    @property
    def value(self) -> str:
        return self.value_label.text()

    def set_value(self, value: str, *, style: str = "normal", detail: str = "") -> None:
        fg, bg, border = STYLES.get(style, STYLES["normal"])
        name = self.objectName()
        self.setStyleSheet(
            f"QFrame#{name} {{ background: {bg}; border: 1px solid {border}; border-radius: 6px; }}"
        )
        self.value_label.setStyleSheet(f"color: {fg};")
        self.caption_label.setStyleSheet("color: #3a4552;")
        self.detail_label.setStyleSheet("color: #5f6b7a;")
        self.value_label.setText(value)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
