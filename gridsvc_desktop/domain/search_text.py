"""Text for the customer search index.

Most Chinese names are two or three characters, and SQLite's trigram tokenizer
silently finds nothing for queries shorter than three. We index every character
as its own token instead (``"张三丰" → "张 三 丰"``) and query a phrase of
characters, which is a substring match of any length on both SQLite FTS5 and a
PostgreSQL trigram index.
"""

from __future__ import annotations

import unicodedata

_SEPARATORS = set(" \t\r\n\u00a0\u3000,，.。;；:：、/\\|()（）[]【】\"'“”‘’-—_#")


def fold(text: str) -> str:
    """NFKC (full-width → half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def search_chars(text: str) -> str:
    """The space-separated characters of `text`, separators dropped."""
    return " ".join(c for c in fold(text) if c not in _SEPARATORS and not c.isspace())


def phrase_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a substring query, or None if nothing is left.

    Whitespace-separated words must all occur (AND), each as a substring.
    """
    phrases = []
    for word in fold(query).split():
        chars = [c for c in word if c not in _SEPARATORS]
        if chars:
            phrases.append('"' + " ".join(c.replace('"', '""') for c in chars) + '"')
    return " AND ".join(phrases) if phrases else None
