"""The text a reader sees, from the inputs the linter accepts: plain text, Markdown, HTML and
flow files. Offsets of flags refer to the text returned here.

* Plain text and Markdown are linted as written (email bodies in the app are Markdown, and the
  editor shows the Markdown), so offsets map straight to the file.
* HTML becomes its visible text: no head, scripts, styles, comments or elements hidden with
  `hidden` or `display:none`; block elements become paragraph breaks. A hidden preheader (the
  line an inbox shows after the subject) is a part of its own, `preheader`, before `body`.
* A flow file (`format: mailflow/v1`) gives one part per step field: subject, preheader, body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import yaml
from selectolax.lexbor import LexborHTMLParser

from seqstudio.core.errors import FlowFileError
from seqstudio.core.render.email_facts import first_text
from seqstudio.core.render.htmlsource import HTML_SUFFIXES

FORMATS = ("text", "markdown", "html", "flow")
FLOW_FORMAT = "mailflow/v1"
EMAIL_FIELDS = ("subject", "preheader", "body")  # what is linted of each email, in this order


@dataclass(frozen=True)
class Part:
    """One piece of text to lint; `field` names where it came from in a flow file ('' otherwise)."""

    field: str
    text: str


def guess_format(name: str, content: str) -> str:
    """The input format from a file name, or from the content when the name does not tell."""
    lowered = name.lower()
    if lowered.endswith((".md", ".markdown")):
        return "markdown"
    if lowered.endswith(HTML_SUFFIXES):
        return "html"
    if lowered.endswith((".yaml", ".yml")) or re.search(r"(?m)^format:\s*['\"]?mailflow/v1", content):
        return "flow"
    if re.match(r"\s*<(?:!doctype|html|body|div|p|table)\b", content, re.IGNORECASE):
        return "html"
    return "text"


def extract_parts(content: str, fmt: str, source: str) -> list[Part]:
    """The parts of `content` to lint. Raises FlowFileError for a flow file that cannot be used."""
    if fmt == "html":
        return html_parts(content)
    if fmt == "flow":
        return flow_parts(content, source)
    return [Part("", content)]


def html_parts(html: str, body_field: str = "") -> list[Part]:
    """The visible text as one part (`body_field`); when the email has a hidden preheader, that
    first, as `preheader`, and the visible text as `body_field` or else `body`."""
    body = html_visible_text(html)
    tree = LexborHTMLParser(html)
    # The preheader as the pre-send checks find it: the first text of the body, hidden or not.
    found = first_text(tree.body, hidden=False) if tree.body is not None else None
    if found is None or not found[1]:
        return [Part(body_field, body)]  # no preheader, or a visible one: the body's first line
    preheader = found[0]
    words = preheader.split()[:8]
    if body.split()[: len(words)] == words:  # hidden in a way the visible text does not know
        return [Part(body_field, body)]
    return [Part("preheader", preheader), Part(body_field or "body", body)]


def flow_parts(content: str, source: str) -> list[Part]:
    """Subject, preheader and body of every step of a mailflow/v1 file, in order; empty ones skipped."""
    data = _load_flow(content, source)
    steps = data.get("steps")
    if not isinstance(steps, list):
        raise FlowFileError(source, "it has no list of steps", field="steps")
    parts: list[Part] = []
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            raise FlowFileError(source, "each step must be a mapping", field=f"steps[{index}]")
        email = step.get("email") or {}
        if not isinstance(email, dict):
            raise FlowFileError(source, "'email' must be a mapping", field=f"steps[{index}].email")
        for name in EMAIL_FIELDS:
            value = email.get(name)
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                raise FlowFileError(source, "must be text", field=f"steps[{index}].email.{name}")
            parts.append(Part(f"steps[{index}].email.{name}", value))
    return parts


def flow_language(content: str, source: str) -> str:
    """The flow's `language` (or its brand's), lower-case two letters, or '' when it has none."""
    data = _load_flow(content, source)
    brand = data.get("brand")
    value = data.get("language") or (brand.get("language") if isinstance(brand, dict) else None)
    return str(value).strip().lower()[:2] if isinstance(value, str) else ""


def flow_brand_words(content: str, source: str) -> tuple[str, tuple[str, ...]]:
    """The flow's brand name and its words to avoid (what of them is text), for BrandWords."""
    brand = _load_flow(content, source).get("brand")
    if not isinstance(brand, dict):
        return "", ()
    words = brand.get("words_to_avoid")
    name = brand.get("name")
    return (
        name if isinstance(name, str) else "",
        tuple(w for w in words if isinstance(w, str)) if isinstance(words, list) else (),
    )


def _load_flow(content: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise FlowFileError(source, "is not valid YAML", line=line) from error
    if not isinstance(data, dict) or data.get("format") != FLOW_FORMAT:
        raise FlowFileError(source, f"is not a flow file (expected 'format: {FLOW_FORMAT}')", field="format")
    return data


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED_TAGS = frozenset({"head", "script", "style", "template", "noscript", "title", "svg"})
_VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping: list[str] = []  # tag names of the hidden subtree we are inside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if not self._skipping:
                self.chunks.append("\n" if tag == "br" else "\n\n" if tag == "hr" else "")
            return
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.append(tag)
            return
        attributes = dict(attrs)
        if (
            tag in _SKIPPED_TAGS
            or "hidden" in attributes
            or _HIDDEN_STYLE.search(attributes.get("style") or "")
        ):
            self._skipping.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.chunks.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in _BLOCK_TAGS:
            self.chunks.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(re.sub(r"\s+", " ", data))


def html_visible_text(html: str) -> str:
    """The visible text of an HTML email: paragraphs separated by blank lines, spaces collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.chunks)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


_GERMAN_WORDS = frozenset(
    [
        "und",
        "der",
        "die",
        "das",
        "nicht",
        "ist",
        "ich",
        "sie",
        "wir",
        "ihr",
        "ihre",
        "ihnen",
        "mit",
        "für",
        "auf",
        "ein",
        "eine",
        "einen",
        "dem",
        "den",
        "des",
        "zu",
        "von",
        "sich",
        "auch",
        "wie",
        "bei",
        "oder",
        "aber",
        "wenn",
        "noch",
        "nur",
        "schon",
        "sind",
        "hat",
        "haben",
        "wird",
        "werden",
        "uns",
        "unser",
        "unsere",
        "dass",
    ]
)
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "to",
        "of",
        "a",
        "in",
        "is",
        "you",
        "your",
        "for",
        "that",
        "it",
        "with",
        "on",
        "are",
        "this",
        "we",
        "our",
        "be",
        "have",
        "at",
        "as",
        "or",
        "will",
        "can",
        "not",
        "from",
        "by",
        "an",
        "if",
        "do",
    ]
)


def guess_language(text: str) -> str:
    """'de' when German function words outnumber English ones, else 'en'."""
    words = text.lower().split()
    german = sum(1 for w in words if w in _GERMAN_WORDS)
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    return "de" if german > english else "en"
