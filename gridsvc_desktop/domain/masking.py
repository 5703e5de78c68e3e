"""Masking of personal data for posted notices, exports and printouts.

Every function keeps the length of its (trimmed) input and is idempotent:
masking an already masked value returns it unchanged.
"""

from __future__ import annotations

import re

__all__ = ["mask_id_number", "mask_name", "mask_phone"]

_MOBILE = re.compile(r"(1[\d*]{2})[\d*]{4}([\d*]{4})")
_LANDLINE = re.compile(r"(0[\d*]{2,3}-)([\d*]{3,4})([\d*]{4})((?:-[\d*]{1,6})?)")


def _mask_tail(text: str, keep: int) -> str:
    """Everything but the last `keep` characters as '*'."""
    if len(text) <= keep:
        return text
    return "*" * (len(text) - keep) + text[-keep:]


def mask_phone(p: str) -> str:
    """Mobile → "138****5678"; landline → "0838-***4567" (area code, last 4 and
    any extension kept); shorter than 7 → all but the last 2 masked; anything
    else → all but the last 4 masked."""
    p = p.strip()
    if not p:
        return ""
    m = _MOBILE.fullmatch(p)
    if m:
        return f"{m.group(1)}****{m.group(2)}"
    m = _LANDLINE.fullmatch(p)
    if m:
        return f"{m.group(1)}{'*' * len(m.group(2))}{m.group(3)}{m.group(4)}"
    return _mask_tail(p, 2 if len(p) < 7 else 4)


def mask_id_number(s: str) -> str:
    """18-character ID → first 6 + 8 '*' + last 4; 15-digit (old) ID → first 6
    + 6 '*' + last 3; anything else → all but the last 4 (2 if short) masked."""
    s = s.strip()
    if len(s) == 18:
        return f"{s[:6]}{'*' * 8}{s[-4:]}"
    if len(s) == 15:
        return f"{s[:6]}{'*' * 6}{s[-3:]}"
    return _mask_tail(s, 2 if len(s) < 7 else 4)


def mask_name(name: str) -> str:
    """ "张三" → "张*", "张小明" → "张*明", "欧阳娜娜" → "欧**娜"; one character
    (a bare surname) is left as it is."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
