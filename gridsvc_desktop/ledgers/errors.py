"""File-level refusals: the whole file cannot be read or is not the ledger asked for."""

from __future__ import annotations


class LedgerFileError(Exception):
    """A file the importer refuses as a whole; the message is Chinese and names the file.

    `row` (1-based, as Excel numbers rows) and `column` (header text or letter) point
    at the place when there is one.
    """

    def __init__(self, file_name: str, message: str, *, row: int = 0, column: str = "") -> None:
        where = ""
        if row:
            where += f"第 {row} 行"
        if column:
            where += f"“{column}”列"
        text = f"文件“{file_name}”" + (f"{where}：" if where else "：") + message
        super().__init__(text)
        self.file_name = file_name
        self.detail = message
        self.row = row
        self.column = column
