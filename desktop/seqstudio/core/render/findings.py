"""What a check reports: an id scripts can rely on, a level, a message and where it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from selectolax.lexbor import LexborNode


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Check:
    id: str
    level: Level
    message: str
    where: str = ""

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "level": self.level.value, "message": self.message, "where": self.where}


def snippet(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(node: LexborNode) -> str:
    return describe_tag(node.tag, node.attributes)


def describe_tag(tag: str | None, attrs: dict[str, str | None]) -> str:
    """describe() of an element from its tag and attributes, for a caller that has read them."""
    for name in ("src", "href", "class", "id"):
        value = attrs.get(name)
        if value:
            return snippet(f'<{tag} {name}="{value}">')
    return f"<{tag}>"
