"""Printing a built report through Qt's print dialog.

The printer gets the rendered page images (reports.raster, 300 dpi at most),
each scaled to the sheet: the PDF already carries its margins, so the printer
is used full-page. `print_pages` runs on a worker thread; Qt allows painting
on a QPrinter outside the GUI thread as long as nothing else touches it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridsvc_desktop.services.progress import Cancelled, Progress, checkpoint
from gridsvc_desktop.ui.qt import (
    QDialog,
    QImageWriter,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QRectF,
    QWidget,
    print_support,
)
from gridsvc_desktop.ui.widgets.report_preview import to_qimage

if TYPE_CHECKING:
    from gridsvc_desktop.reports.raster import PdfPages
    from gridsvc_desktop.ui.qt import QPrinter

#: Enough for text on any office printer; higher only costs time and memory.
MAX_PRINT_DPI = 300


def new_printer(landscape: bool) -> QPrinter:
    """A printer set up for an A4 report, full page, in the report's orientation.

    Called on the GUI thread, it also loads Qt's image plugins there: the first
    drawImage on a PDF printer loads them, and loading them on the print worker
    (the plugin is moved to the GUI thread under a lock while the worker holds
    the GIL) could deadlock with the GUI thread disconnecting a signal.
    """
    QImageWriter.supportedImageFormats()
    printer_class, _ = print_support()
    printer = printer_class(printer_class.PrinterMode.HighResolution)
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))
    )
    printer.setFullPage(True)
    return printer


def ask_printer(parent: QWidget, printer: QPrinter, pages: int, title: str) -> bool:
    """Qt's print dialog over `parent`; True when the user chose to print."""
    _, dialog_class = print_support()
    dialog = dialog_class(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setMinMax(1, max(pages, 1))
    dialog.setFromTo(1, max(pages, 1))
    options = dialog.options()
    options &= ~dialog_class.PrintDialogOption.PrintCurrentPage
    options &= ~dialog_class.PrintDialogOption.PrintSelection
    dialog.setOptions(options | dialog_class.PrintDialogOption.PrintPageRange)
    return dialog.exec() == QDialog.DialogCode.Accepted


def chosen_pages(printer: QPrinter, count: int) -> list[int]:
    """Indexes (from 0) of the pages the print dialog asked for."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        first, last = 1, count
    first, last = max(first, 1), min(last, count)
    return list(range(first - 1, last))


def print_pages(printer: QPrinter, pages: PdfPages, indexes: list[int], progress: Progress) -> int:
    """Paint `indexes` of `pages` on `printer`, one sheet each; returns the sheets printed.

    Copies are left to the driver when it can make them, else printed in turn.
    """
    printer_class, _ = print_support()
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("打印机无法开始打印，请检查打印机设置。")
    total = len(indexes) * copies
    done = 0
    try:
        for _ in range(copies):
            for index in indexes:
                checkpoint(progress, done, total, "正在打印")
                if done:
                    printer.newPage()
                image = to_qimage(pages.render(index, dpi))
                sheet = QRectF(printer.paperRect(printer_class.Unit.DevicePixel))
                sheet.moveTo(0, 0)
                scale = min(sheet.width() / image.width(), sheet.height() / image.height())
                w, h = image.width() * scale, image.height() * scale
                target = QRectF((sheet.width() - w) / 2, (sheet.height() - h) / 2, w, h)
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(target, image)
                done += 1
    except Cancelled:
        printer.abort()  # nothing of a cancelled job reaches the printer
        raise
    finally:
        if painter.isActive():
            painter.end()
    progress.report(total, total, "打印完毕")
    return done
