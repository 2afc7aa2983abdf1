"""Wavy underlines under AI tells in the body editor, coloured by category, computed per block.

QSyntaxHighlighter calls `highlightBlock` only for the block being edited (and on a full
rehighlight when the step, detector or allowances change), so a keystroke costs one block's match.
"""

from __future__ import annotations

import html
import zlib

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from seqstudio.core.tells import Allowances, Detector, Flag
from seqstudio.core.tells.brandwords import BrandWords, with_brand_flags
from seqstudio.gui.tells.review import utf16_index

# Distinct hues per category (colour-blind-safe where possible: Okabe-Ito plus a few).
CATEGORY_COLORS = {
    "stock-opener": "#d55e00",
    "stock-closer": "#e69f00",
    "buzzword": "#cc79a7",
    "negative-parallelism": "#0072b2",
    "triad": "#56b4e9",
    "hedge-filler": "#009e73",
    "false-urgency": "#c0392b",
    "sycophancy": "#8e44ad",
    "chatbot-artefact": "#b8860b",
    "markdown-leak": "#7f8c8d",
    "formal-register": "#2c3e50",
    "brand-voice": "#b2182b",  # the brand's own words to avoid, not an AI tell
}
_SPARE_COLORS = ("#6a3d9a", "#b15928", "#1f78b4", "#33a02c", "#e31a1c", "#ff7f00")
SEVERITY_WORDS = {1: "mild", 2: "clear", 3: "strong"}


def category_color(category: str) -> QColor:
    """The category's colour; a user's own category gets a stable spare one."""
    name = CATEGORY_COLORS.get(category) or _SPARE_COLORS[zlib.crc32(category.encode()) % len(_SPARE_COLORS)]
    return QColor(name)


def category_label(category: str) -> str:
    return category.replace("-", " ").capitalize()


def flag_tooltip(flag: Flag) -> str:
    """Rich text for hovering a flag: category and strength, why a reader notices, what to say instead."""
    lines = [
        f"<b>{html.escape(category_label(flag.category))}</b> · {SEVERITY_WORDS.get(flag.severity, '')}",
        html.escape(flag.why),
    ]
    if flag.suggestions:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in flag.suggestions)
        lines.append(f"<i>How a person might say it:</i><ul style='margin:0'>{items}</ul>")
    return "<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>"


class TellHighlighter(QSyntaxHighlighter):
    """Underlines what `detector` flags and the brand's words to avoid, minus `allow`. Does
    nothing until a detector is set."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._detector: Detector | None = None
        self._allow = Allowances()
        self._brand_words = BrandWords("", ())
        self._formats: dict[str, QTextCharFormat] = {}

    @property
    def detector(self) -> Detector | None:
        return self._detector

    @property
    def allow(self) -> Allowances:
        return self._allow

    def use(
        self, detector: Detector | None, allow: Allowances, brand_words: BrandWords | None = None
    ) -> None:
        """Match with `detector` and `brand_words` and let `allow` pass; rehighlights only if
        any of them changed."""
        brand_words = brand_words or BrandWords("", ())
        if detector is self._detector and allow == self._allow and brand_words == self._brand_words:
            return
        self._detector, self._allow, self._brand_words = detector, allow, brand_words
        # A rehighlight ends with the document's contentsChanged, which editors take for typing
        # (the step would count as edited and a landing draft be held); the layout still repaints.
        document = self.document()
        was_blocked = document.blockSignals(True)
        try:
            self.rehighlight()
        finally:
            document.blockSignals(was_blocked)

    def flags_in(self, text: str) -> list[Flag]:
        """The flags this highlighter shows in one block's text."""
        if self._detector is None:
            return []
        tells = self._detector.flags_for_block(text, self._allow)
        return with_brand_flags(tells, self._brand_words.flags_for_block(text, self._allow))

    def highlightBlock(self, text: str) -> None:
        for flag in self.flags_in(text):
            start = utf16_index(text, flag.start)
            self.setFormat(start, utf16_index(text, flag.end) - start, self._format(flag.category))

    def _format(self, category: str) -> QTextCharFormat:
        found = self._formats.get(category)
        if found is None:
            found = QTextCharFormat()
            found.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            found.setUnderlineColor(category_color(category))
            self._formats[category] = found
        return found
