# The C kernels' interface (see _tellscan.c); seqstudio.core.tells.native loads them.
from collections.abc import Callable, Sequence

SOURCE_SHA256: str

# Per anchor: its length (or -1 for a run-of-spaces variant) and ((rule index, regex or None), ...).
Output = tuple[int, tuple[tuple[int, object], ...]]

class Anchors:
    def __init__(self, anchors: Sequence[str], outputs: tuple[Output, ...]) -> None: ...
    def span_hits(self, flat: str, text: str) -> list[tuple[int, int, int]]: ...

def document_counts(text: str) -> tuple[list[int], int, int, int]: ...
def flat_form(text: str, lowered: str) -> str: ...
def flags_from(
    text: str,
    hits: list[tuple[int, int, int]],
    parts: tuple[tuple[str, str, int, str, tuple[str, ...], int], ...],
    skipped: frozenset[str] | None,
    allows_text: Callable[[str], bool] | None,
    start_back: Callable[[str, int, int], int],
    flag_type: type,
) -> list[object]: ...
