"""Where anchored rules match in a block: each anchor (patterns.Anchor) that starts a word, and
its targets tried there. Two ways to the same hits:

* the C kernels (native.py): one pass over the block walks a trie of all anchors from every
  word start, and tries the targets where one ends;
* Python: one RE2 set pass says which anchors occur at all, `str.find` finds those, and the
  targets are tried there.

A hit is (rule index, start, -end): sorted as they are, a rule's hits come by start, longest first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import ModuleType
from typing import cast

import re2

Hit = tuple[int, int, int]
# (rule index, the regex to match at the anchor, or None for a bare word that is the whole match)
Target = tuple[int, re.Pattern[str] | None]
# (anchor text, its first word if it has two, the targets tried where it starts)
AnchorEntry = tuple[str, str, tuple[Target, ...]]
# RE2's 8 MB default is too little for a set of every anchor on a long text (it then reports
# nothing at all); a 950,000-character text needs far less than this.
SET_MEMORY = 64 << 20


class AnchorFinder:
    """The hits of every anchored rule in a block. Immutable once built; safe across threads."""

    def __init__(self, entries: Sequence[AnchorEntry], kernels: ModuleType | None) -> None:
        self._entries = tuple(entries)
        self._trie = None
        if kernels is not None:
            # Runs of spaces: a two-word anchor is also looked for as its first word and two
            # spaces, and its regexes tried there (they allow any gap a phrase may have).
            doubles = [entry for entry in self._entries if entry[1]]
            words = [anchor for anchor, _first, _targets in self._entries]
            words += [first + "  " for _anchor, first, _targets in doubles]
            outputs = [(len(anchor), targets) for anchor, _first, targets in self._entries]
            outputs += [(-1, targets) for _anchor, _first, targets in doubles]
            self._trie = kernels.Anchors(words, tuple(outputs))
            return
        options = re2.Options()
        options.max_mem = SET_MEMORY
        self._set = re2.Set.SearchSet(options)
        for anchor, _first, _targets in self._entries:
            self._set.Add("(?i)" + r"[\s\pZ]+".join(_re2_literal(word) for word in anchor.split(" ")))
        self._set.Compile()

    def hits(self, text: str, flat: str, data: bytes) -> list[Hit]:
        """Hits in `text`, found on `flat` (see detector.flat_form), `data` being `text` in UTF-8."""
        if self._trie is not None:
            return cast("list[Hit]", self._trie.span_hits(flat, text))
        # The stubs declare `bool | None`; RE2 returns the indexes of the patterns found, or None.
        matched = cast("list[int] | None", self._set.Match(data)) or []
        entries = [self._entries[i] for i in matched]
        hits: list[Hit] = []
        append = hits.append
        find = flat.find
        length = len(flat)
        for anchor, _first, targets in entries:
            size = len(anchor)
            position = find(anchor)
            while position >= 0:
                if position == 0 or not flat[position - 1].isalnum():
                    for index, regex in targets:
                        if regex is None:  # a bare word: the find was the match, if the word ends here
                            end = position + size
                            if end == length or not flat[end].isalnum():
                                append((index, position, -end))
                        else:
                            found = regex.match(text, position)
                            if found is not None and found.end() > position:
                                append((index, position, -found.end()))
                position = find(anchor, position + 1)
        if "  " in flat:  # two-word anchors assume one space; look for the first word before a run too
            for _anchor, first, targets in entries:
                if not first:
                    continue
                position = find(first + "  ")
                while position >= 0:
                    if position == 0 or not flat[position - 1].isalnum():
                        for index, regex in targets:
                            found = regex.match(text, position) if regex is not None else None
                            if found is not None and found.end() > position:
                                append((index, position, -found.end()))
                    position = find(first + "  ", position + 1)
        return hits


def _re2_literal(word: str) -> str:
    """An anchor word for the RE2 prefilter: escaped, any apostrophe for a straight one, and
    for "i" also the dotless ı and dotted İ, which Python's re matches case-insensitively with
    "i" and RE2 does not (the set would hide a match the rule's regex makes)."""
    parts = (
        "".join("[iıİ]" if char == "i" else re2.escape(char) for char in part) for part in word.split("'")
    )
    return "['’ʼ]".join(parts)
