"""The report preview: the pages of a built PDF, rendered as they scroll into view.

One widget paints every page's slot (a report may have a thousand pages, so no
widget per page); page images come from `reports.raster.PdfPages` on a worker
thread, for the pages in view and the next one, and only a few dozen are kept.
Zoom is "fit width" or a fixed percentage of the page's printed size.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from gridsvc_desktop.ui.background import Task, run_in_background
from gridsvc_desktop.ui.qt import (
    QColor,
    QFrame,
    QImage,
    QPainter,
    QPaintEvent,
    QRectF,
    QResizeEvent,
    QScrollArea,
    QSize,
    Qt,
    QTimer,
    QWidget,
    Signal,
)

if TYPE_CHECKING:
    from gridsvc_desktop.reports.raster import PageImage, PdfPages

GAP = 14
BACKGROUND = QColor("#e6e9ee")
MAX_CACHED = 24


def weak_call(method: Callable[..., object], *args: object) -> Callable[..., None]:
    """`method(*args, *more)` through a weak reference to its object.

    For callbacks handed to run_in_background: a lambda over `self` would keep
    the widget alive inside the task, and a widget whose last reference dies
    with the task is destroyed in the middle of the task's own deletion (and
    its `destroyed` signal then reaches the dying task: a crash).
    """
    ref = weakref.WeakMethod(method)

    def call(*more: object) -> None:
        target = ref()
        if target is not None:
            target(*args, *more)

    return call


def to_qimage(image: PageImage) -> QImage:
    """A QImage that owns a copy of the pixels (safe to pass between threads)."""
    return QImage(
        image.data, image.width, image.height, image.stride, QImage.Format.Format_RGBX8888
    ).copy()


class _Sheet(QWidget):
    """The tall surface the pages are laid out on (inside the scroll area)."""

    def __init__(self, preview: ReportPreview) -> None:
        super().__init__()
        self.preview = preview
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:
        return self.preview.sheet_size()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), BACKGROUND)
        exposed = QRectF(event.rect())
        for index, rect in self.preview.page_rects():
            if not rect.intersects(exposed):
                continue
            painter.fillRect(rect.translated(2, 3), QColor(0, 0, 0, 40))
            painter.fillRect(rect, Qt.GlobalColor.white)
            image = self.preview.cached(index)
            if image is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(rect, image)
            else:
                painter.setPen(QColor("#8a94a3"))
                painter.drawText(
                    rect,
                    Qt.AlignmentFlag.AlignCenter,
                    self.tr("Page {page}…").format(page=index + 1),
                )
        painter.end()


class ReportPreview(QScrollArea):
    """Scrollable page images of one PDF."""

    # (current page from 1, page count)
    page_changed = Signal(int, int)
    # A page image failed to render (message).
    render_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_preview")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._pages: PdfPages | None = None
        self._zoom: float | None = None  # None: fit width
        self._dpi = 96.0
        self._rects: list[QRectF] = []
        self._images: OrderedDict[int, QImage] = OrderedDict()
        self._generation = 0
        self._task: Task | None = None
        self._task_page: int | None = None
        self._current = 0
        self.sheet = _Sheet(self)
        self.sheet.setObjectName("report_sheet")
        self.setWidget(self.sheet)
        self.setStyleSheet("QScrollArea#report_preview { background: #e6e9ee; }")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll_value_changed)

    # ---- document

    @property
    def page_count(self) -> int:
        return len(self._pages) if self._pages is not None else 0

    @property
    def dpi(self) -> float:
        return self._dpi

    def set_document(self, pages: PdfPages | None) -> None:
        """Show `pages` (the preview does not close the previous document: its owner does)."""
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._task_page = None
        self._pages = pages
        self._images.clear()
        self._current = 0
        self._relayout()
        self.verticalScrollBar().setValue(0)
        self._schedule()
        self.page_changed.emit(1 if self.page_count else 0, self.page_count)

    def set_zoom(self, zoom: float | None) -> None:
        """`zoom` 1.0 = printed size on screen; None = fit the width."""
        self._zoom = zoom
        self._relayout()

    def current_page(self) -> int:
        """The page at the top of the view, from 1 (0 when empty)."""
        return self._current + 1 if self.page_count else 0

    def show_page(self, page: int) -> None:
        if not self._rects:
            return
        index = min(max(page - 1, 0), len(self._rects) - 1)
        self.verticalScrollBar().setValue(int(self._rects[index].top()) - GAP // 2)

    # ---- layout

    def sheet_size(self) -> QSize:
        if not self._rects:
            return QSize(self.viewport().width(), self.viewport().height())
        width = max(r.right() for r in self._rects) + GAP
        return QSize(int(width), int(self._rects[-1].bottom() + GAP))

    def page_rects(self) -> list[tuple[int, QRectF]]:
        return list(enumerate(self._rects))

    def cached(self, index: int) -> QImage | None:
        return self._images.get(index)

    def _relayout(self) -> None:
        old_dpi = self._dpi
        sizes = self._pages.sizes if self._pages is not None else []
        screen_dpi = float(self.logicalDpiX() or 96)
        if self._zoom is None and sizes:
            widest = max(w for w, _ in sizes)
            room = max(self.viewport().width() - 2 * GAP, 200)
            self._dpi = room / (widest / 72.0)
        else:
            self._dpi = screen_dpi * (self._zoom or 1.0)
        scale = self._dpi / 72.0
        view_w = self.viewport().width()
        rects = []
        y = float(GAP)
        for w_pt, h_pt in sizes:
            w, h = w_pt * scale, h_pt * scale
            x = max((view_w - w) / 2, GAP)
            rects.append(QRectF(round(x), round(y), round(w), round(h)))
            y += h + GAP
        self._rects = rects
        if abs(old_dpi - self._dpi) > 0.5:
            self._images.clear()
        self.sheet.resize(self.sheet_size())
        self.sheet.update()
        self._schedule()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    # ---- rendering

    def _schedule(self) -> None:
        self._timer.start()

    def visible_pages(self) -> list[int]:
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        return [i for i, r in enumerate(self._rects) if r.bottom() >= top and r.top() <= bottom]

    def _wanted(self) -> list[int]:
        visible = self.visible_pages()
        if not visible:
            return []
        after = visible[-1] + 1
        return visible + ([after] if after < len(self._rects) else [])

    def _on_scroll_value_changed(self, _value: int) -> None:
        self._update_current()
        self._schedule()

    def _update_current(self) -> None:
        visible = self.visible_pages()
        current = visible[0] if visible else 0
        if len(visible) > 1:  # the page that fills most of the view
            top = self.verticalScrollBar().value()
            if self._rects[visible[0]].bottom() - top < self.viewport().height() / 2:
                current = visible[1]
        if current != self._current:
            self._current = current
            self.page_changed.emit(current + 1, self.page_count)

    def _on_timer_timeout(self) -> None:
        if self._pages is None or self._task is not None:
            return
        missing = [i for i in self._wanted() if i not in self._images]
        if not missing:
            return
        index = missing[0]
        pages, dpi = self._pages, self._dpi * self.devicePixelRatioF()
        generation = self._generation
        self._task_page = index
        self._task = run_in_background(
            self,
            lambda _progress: to_qimage(pages.render(index, dpi)),
            on_success=weak_call(self._on_rendered, generation, index, dpi),
            on_failure=weak_call(self._on_render_failed, generation),
        )

    def _on_rendered(self, generation: int, index: int, dpi: float, image: QImage) -> None:
        self._task = None
        self._task_page = None
        if generation != self._generation:
            self._schedule()
            return
        if abs(dpi - self._dpi * self.devicePixelRatioF()) <= 0.5:
            image.setDevicePixelRatio(self.devicePixelRatioF())
            self._images[index] = image
            self._images.move_to_end(index)
            while len(self._images) > MAX_CACHED:
                self._images.popitem(last=False)
            self.sheet.update(self._rects[index].toAlignedRect())
        self._schedule()

    def _on_render_failed(self, generation: int, error: BaseException) -> None:
        self._task = None
        self._task_page = None
        if generation == self._generation:
            self.render_failed.emit(str(error))
