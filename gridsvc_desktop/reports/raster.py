"""Pages of a PDF as pixels, for the preview and for printing (pypdfium2).

PySide6-Essentials has no QtPdf, and drawing our own page images would be a
second renderer to keep in step with the PDF. PDFium renders exactly the file
that is saved, fonts and all, on Windows and Linux from a wheel (see
docs/reports.md). PDFium is not thread-safe: every call goes through one lock,
so the preview and a print job may render from worker threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Any

__all__ = ["PageImage", "PdfPages"]

_LOCK = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    """RGBX pixels, 4 bytes a pixel, rows `stride` bytes apart."""

    width: int
    height: int
    stride: int
    data: bytes


class PdfPages:
    """An open PDF (bytes in memory) whose pages render to images."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2

        self._data = data
        with _LOCK:
            self._doc: Any = pypdfium2.PdfDocument(data)
            self.sizes: list[tuple[float, float]] = [
                (float(w), float(h))
                for w, h in (self._doc.get_page_size(i) for i in range(len(self._doc)))
            ]

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, dpi: float) -> PageImage:
        """Page `index` (from 0) at `dpi` dots per inch, on white."""
        if not 0 <= index < len(self.sizes):
            raise IndexError(f"page {index} of {len(self.sizes)}")
        with _LOCK:
            if self._doc is None:
                raise ValueError("the document is closed")
            page = self._doc[index]
            try:
                bitmap = page.render(
                    scale=dpi / 72.0,
                    rev_byteorder=True,
                    prefer_bgrx=True,
                    fill_color=(255, 255, 255, 255),
                    optimize_mode="print" if dpi >= 200 else None,
                )
                try:
                    image = PageImage(
                        width=bitmap.width,
                        height=bitmap.height,
                        stride=bitmap.stride,
                        data=bytes(bitmap.buffer),
                    )
                finally:
                    bitmap.close()
            finally:
                page.close()
        return image

    def close(self) -> None:
        with _LOCK:
            if self._doc is not None:
                self._doc.close()
                self._doc = None

    def __del__(self) -> None:
        # Closed under the lock, whatever thread drops the last reference:
        # pypdfium2's own finaliser would close it while another thread renders.
        if getattr(self, "_doc", None) is not None:
            self.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
