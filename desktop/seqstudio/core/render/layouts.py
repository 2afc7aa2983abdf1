"""Email layouts (resources/layouts/*.html.j2) and merge tags, all in Jinja2's sandbox.

Every template, shipped layout or text a user or a model wrote, renders in a
SandboxedEnvironment: no attribute starting with an underscore, no calls into Python internals.
A merge tag with no value and no `default(...)` stays in the output as written
("{{ last_name }}"), so the template-tags check can point at it instead of it vanishing.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, TemplateError, Undefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from seqstudio.core.errors import StudioError
from seqstudio.core.model import Brand, BrandColors
from seqstudio.core.paths import resource_path
from seqstudio.core.render.frames import (
    CONTENT_END,
    CONTENT_START,
    SLOT_FIELDS,
    EmailFields,
    Frame,
    slot_marker,
)

LAYOUTS = ("branded", "letter")
_FRAMES_KEPT = 32  # layouts x brands x contacts x empty-field shapes in use at once
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_FONT_STACKS = {
    "branded": Markup("Helvetica, Arial, sans-serif"),
    "letter": Markup("Georgia, 'Times New Roman', Times, serif"),
}
# Zero-width fillers after the preheader keep the body text out of the inbox preview line.
_PREHEADER_FILLER = Markup("&zwnj;&nbsp;" * 40)
_FOOTER_WORDS = {
    "en": ("You receive this email because you signed up at {name}.", "Unsubscribe"),
    "de": ("Sie erhalten diese E-Mail, weil Sie sich bei {name} angemeldet haben.", "Abmelden"),
    "fr": ("Vous recevez cet e-mail car vous vous êtes inscrit chez {name}.", "Se désabonner"),
    "es": ("Recibes este correo porque te registraste en {name}.", "Darse de baja"),
    "it": ("Ricevi questa email perché ti sei iscritto a {name}.", "Annulla l'iscrizione"),
    "pt": ("Recebe este email porque se registou em {name}.", "Cancelar subscrição"),
    "nl": ("Je ontvangt deze e-mail omdat je je hebt aangemeld bij {name}.", "Afmelden"),
}
# A brand whose voice says it addresses readers with "du" gets a footer that does too: a "Sie"
# footer under "du" copy reads as two senders. Drafting follows the same voice notes.
_INFORMAL_FOOTER_WORDS = {
    "de": ("Du erhältst diese E-Mail, weil du dich bei {name} angemeldet hast.", "Abmelden")
}
_INFORMAL_VOICE = re.compile(r"\b(?:du|dich|dir|dein\w*|duzt|duzen|duzend|geduzt|per du)\b", re.IGNORECASE)
_FORMAL_VOICE = re.compile(r"\bsiez\w*|\bnicht duzen\b|\bkein du\b", re.IGNORECASE)


def footer_words(language: str, brand: Brand) -> tuple[str, str]:
    """The footer's sentence (with {name}) and unsubscribe label for `language`, in the form of
    address the brand's voice notes ask for where the language has two."""
    base = language.split("-")[0]
    informal = _INFORMAL_FOOTER_WORDS.get(base)
    notes = brand.voice_notes
    if informal is not None and _INFORMAL_VOICE.search(notes) and not _FORMAL_VOICE.search(notes):
        return informal
    return _FOOTER_WORDS.get(base, _FOOTER_WORDS["en"])


class LayoutError(StudioError):
    """A layout is unknown or could not be rendered."""


@dataclass(frozen=True)
class Contact:
    """A sample contact: its merge data fills tags such as {{ first_name }} in previews."""

    id: str
    label: str
    fields: Mapping[str, str]

    @property
    def unsubscribe_url(self) -> str:
        return self.fields.get("unsubscribe_url", "")


def load_sample_contacts(path: Path | None = None) -> tuple[Contact, ...]:
    """The shipped sample contacts, first one the default for previews."""
    source = path or resource_path("layouts", "sample-contacts.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    return tuple(
        Contact(
            id=item["id"], label=item["label"], fields={k: str(v) for k, v in item.items() if k != "label"}
        )
        for item in data["contacts"]
    )


# {{ name }} and {{ name | default("text") }}: what merge tags nearly always are. Jinja2 compiles
# a template for any other text (about 1 ms: every keystroke in a body with a tag paid it).
_SIMPLE_TAG = re.compile(
    r"""\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*"""
    r"""(?:\|[ \t]*default[ \t]*\([ \t]*(?:"([^"\\{}\r\n]*)"|'([^'\\{}\r\n]*)')[ \t]*\)[ \t]*)?\}\}"""
)
# Names Jinja2 reads as something other than a context variable: constants, keywords, globals.
_NOT_PLAIN_NAMES = frozenset(
    {"true", "false", "none", "True", "False", "None", "self", "loop", "caller", "varargs", "kwargs",
     "and", "or", "not", "in", "is", "if", "else", "elif", "for", "recursive", "with", "without",
     "context", "import", "from", "as", "set", "block", "extends", "include", "macro", "call",
     "filter", "raw", "range", "dict", "lipsum", "cycler", "joiner", "namespace"} | set(keyword.kwlist)
)  # fmt: skip


def _fill_simple(text: str, data: Mapping[str, str]) -> str | None:
    """`text` rendered as Jinja2 would render it, when every tag in it is a simple one; else None.

    Matches Jinja2 to the letter (tests/core/render/test_layouts.py compares the two): tags start
    at each "{{" in turn, a missing name prints as written or as its default, and one trailing
    newline is dropped (keep_trailing_newline is off). Anything else goes to Jinja2.
    """
    if "{%" in text or "{#" in text or "\r" in text:
        return None
    out: list[str] = []
    position = 0
    while (start := text.find("{{", position)) >= 0:
        match = _SIMPLE_TAG.match(text, start)
        if match is None:
            return None
        name, double, single = match.groups()
        if name in _NOT_PLAIN_NAMES:
            return None
        if name in data:
            out.append(text[position:start] + str(data[name]))
        else:
            default = double if double is not None else single
            out.append(text[position:start] + ("{{ " + name + " }}" if default is None else default))
        position = match.end()
    out.append(text[position:])
    filled = "".join(out)
    return filled[:-1] if text.endswith("\n") else filled


class _KeptUndefined(Undefined):
    """An unknown merge tag prints as the tag itself, so a check can find it."""

    def __str__(self) -> str:
        return "{{ " + (self._undefined_name or "?") + " }}"


def _hex_or(value: str, fallback: str) -> str:
    return value if _HEX.match(value) else fallback


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _mix(a: str, b: str, share_of_a: float) -> str:
    mixed = (round(x * share_of_a + y * (1 - share_of_a)) for x, y in zip(_rgb(a), _rgb(b), strict=True))
    return "#" + "".join(f"{part:02x}" for part in mixed)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def palette(colors: BrandColors, layout: str) -> dict[str, str]:
    """Every colour a layout uses, derived from the brand's four; invalid ones fall back."""
    default = BrandColors()
    primary = _hex_or(colors.primary, default.primary)
    background = _hex_or(colors.background, default.background)
    text = _hex_or(colors.text, default.text)
    accent = _hex_or(colors.accent, default.accent)
    on_primary = "#ffffff" if _luminance(primary) < 0.45 else "#111111"
    return {
        "primary": primary,
        "on_primary": on_primary,
        "page": accent if layout == "branded" else background,
        "card": background,
        "text": text,
        "link": primary,
        "muted": _mix(text, background, 0.6),
        "rule": _mix(text, background, 0.2),
    }


class LayoutRenderer:
    """Renders layouts and merge tags; holds compiled templates, so keep one per window or job."""

    def __init__(self, layouts_dir: Path | None = None) -> None:
        folder = layouts_dir or resource_path("layouts")
        self._env = SandboxedEnvironment(
            loader=FileSystemLoader(str(folder)), autoescape=True, trim_blocks=False, auto_reload=False
        )
        self._text_env = SandboxedEnvironment(autoescape=False, undefined=_KeptUndefined)
        self._text_cache: dict[str, Any] = {}
        self._frames: dict[tuple[object, ...], Frame] = {}

    def fill_tags(self, text: str, data: Mapping[str, str]) -> tuple[str, str]:
        """Text with its merge tags filled from `data`, and "" or the reason it was left as is.

        Text with a broken tag comes back unchanged (the template-tags check reports it); this
        never raises, because it runs on every pause in typing.
        """
        if "{{" not in text and "{%" not in text:
            return text, ""
        simple = _fill_simple(text, data)
        if simple is not None:
            return simple, ""
        try:
            template = self._text_cache.get(text)
            if template is None:
                template = self._text_env.from_string(text)
                if len(self._text_cache) > 512:
                    self._text_cache.clear()
                self._text_cache[text] = template
            return str(template.render(dict(data))), ""
        except TemplateError as error:
            return text, str(error.message or error)

    def render(
        self,
        layout: str,
        *,
        brand: Brand,
        subject: str,
        preheader: str,
        body_html: str,
        cta_label: str,
        cta_url: str,
        language: str,
        unsubscribe_url: str,
    ) -> str:
        """The full HTML document of one email, styles still in <style> (inline it to send).

        Renders the whole template; `frame` gives the same text faster for many emails.
        """
        email = {
            "subject": subject,
            "preheader": preheader,
            "body_html": Markup(body_html),
            "cta_label": cta_label,
            "cta_url": cta_url,
        }
        return self._render(layout, brand, language, unsubscribe_url, email, _content_as_is)

    def frame(
        self, layout: str, *, brand: Brand, language: str, unsubscribe_url: str, fields: EmailFields
    ) -> Frame:
        """The frame that `fields` fit (same layout, brand, language, link and empty fields).

        Frames are kept (the last few dozen), so the emails of a sequence render the layout once.
        Raises LayoutError for an unknown layout or one that does more with a field than print it.
        """
        shape = fields.shape()
        key = (layout, brand, language, unsubscribe_url, shape)
        frame = self._frames.get(key)
        if frame is not None:
            return frame
        # Set fields become slot markers; empty ones stay empty, so `{% if %}` sees the same.
        email = {
            name: slot_marker(i) if set_ else ""
            for i, (name, set_) in enumerate(zip(SLOT_FIELDS, shape, strict=True))
        }
        rendered = self._render(layout, brand, language, unsubscribe_url, email, _content_marked)
        frame = Frame.from_rendered(key, rendered)
        if (
            "zqxslot"
            in "".join(frame.before.literals + frame.content.literals + frame.after.literals).lower()
        ):
            raise LayoutError(
                f"The '{layout}' layout could not be rendered; reinstall Sequence Studio.",
                "the template changes a field instead of printing it, so it cannot be framed",
            )
        if len(self._frames) >= _FRAMES_KEPT:
            self._frames.pop(next(iter(self._frames)))
        self._frames[key] = frame
        return frame

    def _render(
        self,
        layout: str,
        brand: Brand,
        language: str,
        unsubscribe_url: str,
        email: Mapping[str, object],
        email_content: Callable[..., Markup],
    ) -> str:
        if layout not in LAYOUTS:
            raise LayoutError(f"There is no layout called '{layout}'; choose one of {', '.join(LAYOUTS)}.")
        sentence, unsubscribe_label = footer_words(language, brand)
        try:
            return self._env.get_template(f"{layout}.html.j2").render(
                lang=language,
                brand=brand,
                colors=palette(brand.colors, layout),
                font_stack=_FONT_STACKS[layout],
                email=email,
                email_content=email_content,
                preheader_filler=_PREHEADER_FILLER,
                footer_sender=sentence.format(name=brand.name),
                postal_address=brand.postal_address,
                unsubscribe_url=unsubscribe_url,
                unsubscribe_label=unsubscribe_label,
            )
        except TemplateError as error:
            raise LayoutError(
                f"The '{layout}' layout could not be rendered; reinstall Sequence Studio.", str(error)
            ) from error


def _content_as_is(caller: Callable[[], str]) -> Markup:
    """`{% call email_content() %}` in a direct render: the block unchanged."""
    return Markup(caller())


def _content_marked(caller: Callable[[], str]) -> Markup:
    """`{% call email_content() %}` in a frame: the block between markers the inliner finds."""
    return Markup(CONTENT_START) + Markup(caller()) + Markup(CONTENT_END)
