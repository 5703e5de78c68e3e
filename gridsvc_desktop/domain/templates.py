"""Message templates with Chinese placeholders: {开始时间} {结束时间} {范围} …

`fill` puts values into a template. A value that is missing or blank renders as
a visible gap, 【未登记：网格经理】, never as "None" or an empty hole that reads
as if the sentence were complete; a placeholder the program does not know
renders as 【未知项：…】 so a typo in an edited template shows in every message.
Pure text, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Placeholders the outage messages know, in the order an editor lists them.
PLACEHOLDERS: tuple[str, ...] = (
    "供电所", "类型", "开始时间", "结束时间", "范围", "原因", "热线", "网格经理", "经理电话",
    "恢复时间", "取消原因",
)  # fmt: skip

_FIELD = re.compile(r"\{([^{}\s]{1,20})\}")


def gap(name: str) -> str:
    """The visible gap left where `name` has no value."""
    return f"【未登记：{name}】"


def placeholders_in(template: str) -> list[str]:
    """The placeholders a template uses, each once, in order of first use."""
    seen: dict[str, None] = {}
    for m in _FIELD.finditer(template):
        seen.setdefault(m.group(1), None)
    return list(seen)


def unknown_placeholders(template: str, known: tuple[str, ...] = PLACEHOLDERS) -> list[str]:
    return [p for p in placeholders_in(template) if p not in known]


def fill(template: str, values: Mapping[str, object], known: tuple[str, ...] = PLACEHOLDERS) -> str:
    """`template` with each {名称} replaced by its value (str() of it); a missing,
    None or blank value gives `gap(名称)`; an unknown name gives 【未知项：名称】."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in known and name not in values:
            return f"【未知项：{name}】"
        value = values.get(name)
        text = "" if value is None else str(value).strip()
        return text if text else gap(name)

    return _FIELD.sub(one, template)


def gaps_in(text: str) -> list[str]:
    """The names of the gaps a filled message still has."""
    return re.findall(r"【未登记：([^】]+)】", text)
