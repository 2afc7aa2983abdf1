"""A proposed rewrite of one flagged passage, waiting for the writer to accept or drop it."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from seqstudio.core.drafting import FactFinding
from seqstudio.gui.tells.review import FlagRef, locate

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT_CHARS = 60
WORD_DIFF_MIN_RATIO = 0.5
_DELETED = "<span style='color:#b42318;text-decoration:line-through'>{}</span>"
_INSERTED = "<span style='color:#067647;font-weight:bold'>{}</span>"


@dataclass(frozen=True)
class RewriteProposal:
    ref: FlagRef  # the passage as it was when the rewrite was asked for
    text: str  # what the model suggests instead
    model: str
    findings: tuple[FactFinding, ...] = ()  # facts in the suggestion that the offer lacks

    @property
    def passage(self) -> str:
        return self.ref.flag.text

    def applied_to(self, current: str) -> str | None:
        """`current` with the passage replaced, or None when the passage is no longer there as it
        was (the writer changed it): then the proposal must be dropped, never forced in."""
        start = locate(current, self.passage, self.ref.flag.start)
        if start is None:
            return None
        return current[:start] + self.text + current[start + len(self.passage) :]

    def diff_html(self, current: str) -> str:
        """The passage in its surroundings, words taken out struck through in red, new ones in green."""
        start = locate(current, self.passage, self.ref.flag.start)
        before = after = ""
        if start is not None:
            before = current[max(0, start - CONTEXT_CHARS) : start]
            after = current[start + len(self.passage) : start + len(self.passage) + CONTEXT_CHARS]
        old, new = _TOKENS.findall(self.passage), _TOKENS.findall(self.text)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        opcodes: list[tuple[str, int, int, int, int]] = list(matcher.get_opcodes())
        if matcher.ratio() < WORD_DIFF_MIN_RATIO:  # mostly new words: old, then new, reads better
            opcodes = [("replace", 0, len(old), 0, len(new))]
        pieces: list[str] = []
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                pieces.append(html.escape("".join(old[i1:i2])))
                continue
            if i2 > i1:
                pieces.append(_DELETED.format(html.escape("".join(old[i1:i2]))))
            if j2 > j1:
                if i2 > i1:
                    pieces.append(" ")
                pieces.append(_INSERTED.format(html.escape("".join(new[j1:j2]))))
        context = f"<span style='color:#57606a'>…{html.escape(before)}</span>" if before else ""
        trailing = f"<span style='color:#57606a'>{html.escape(after)}…</span>" if after else ""
        return f"<p style='white-space:pre-wrap'>{context}{''.join(pieces)}{trailing}</p>"
