"""`seqstudio lint PATH... [--json] [--lang en|de]`: flag machine-sounding copy in files.

Plain text, Markdown, HTML (the visible text, and a hidden preheader as a part of its own), flow
files and saved messages (.eml: the subject, then the HTML part as an HTML file); `-` reads
standard input. Text is UTF-8 unless a byte-order mark names UTF-16 or UTF-32. With --json every
input gets an object, in order: its report, or {"path": ..., "error": ...} when it could not be
read. Exit 0 when every input was linted, flags or not; 1 when some inputs could not be read; 2
when none could (or the arguments were wrong).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from seqstudio.core.errors import StudioError
from seqstudio.core.render.htmlsource import (
    HTML_SUFFIXES,
    MESSAGE_SUFFIXES,
    NoHtmlPartError,
    html_encoding,
    read_email_file,
    read_file_bytes,
    read_html_file,
    read_message_text,
)
from seqstudio.core.tells.brandwords import BrandWords
from seqstudio.core.tells.detector import SHIPPING_THRESHOLD, Detector
from seqstudio.core.tells.report import LintReport, lint_parts
from seqstudio.core.tells.rules import LANGUAGES, load_rule_set
from seqstudio.core.tells.textextract import (
    FORMATS,
    Part,
    extract_parts,
    flow_brand_words,
    flow_language,
    guess_format,
    guess_language,
    html_parts,
)

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT = 0, 1, 2
# Before each suggestion, in the language of the rules (and so of the suggestion).
_SUGGESTION_LABELS = {"en": "Try:", "de": "Vorschlag:"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lint",
        help="flag phrasing that reads as machine-written",
        description="Flag phrasing that reads as machine-written (AI tells) in plain text, Markdown, HTML "
        "(visible text only) and flow files, with tell density (severity-weighted flags per 100 words) "
        f"and reading grade. An input at or above density {SHIPPING_THRESHOLD} reads machine-written. "
        "Exit 0 when every input was linted, flags or not; 1 when some could not be read; 2 when none could.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files to lint; - reads standard input")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array, one object per input ({path, error} for one that could not be read)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="language of the rules (default: the flow's language, else guessed)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, help="input format (default: from the file name or content)"
    )
    parser.add_argument("--target-grade", type=float, metavar="GRADE", help="reading grade to stay under")
    parser.add_argument(
        "--no-user-rules", action="store_true", help="ignore the rule packs in the user data folder"
    )
    parser.set_defaults(handler=run)


@dataclass(frozen=True)
class LintFailure:
    """An input that could not be linted, and the message that says why."""

    path: str
    error: str

    def as_dict(self) -> dict[str, object]:
        """The JSON object of `seqstudio lint --json` for this input."""
        return {"path": self.path, "error": self.error}


def run(args: argparse.Namespace) -> int:
    detectors: dict[str, Detector] = {}
    results: list[LintReport | LintFailure] = []
    for path in args.paths:
        try:
            results.append(_lint_one(path, args, detectors))
        except StudioError as error:
            if len(args.paths) == 1 and not args.json:
                raise
            print(f"seqstudio: error: {error.user_message}", file=sys.stderr)
            results.append(LintFailure(path, error.user_message))
    try:
        if args.json:
            json.dump([r.as_dict() for r in results], sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            for result in results:
                if isinstance(result, LintReport):
                    _print_report(result, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`); point stdout at devnull so the flush at exit is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    failures = sum(isinstance(r, LintFailure) for r in results)
    if failures == len(args.paths):
        return EXIT_BAD_INPUT
    return EXIT_PARTIAL if failures else EXIT_OK


def _lint_one(path: str, args: argparse.Namespace, detectors: dict[str, Detector]) -> LintReport:
    if path.lower().endswith(MESSAGE_SUFFIXES) and not args.format:
        # A saved message: its subject and the visible text of its HTML part, as sent; a message
        # sent without HTML, its plain-text part.
        try:
            message = read_email_file(Path(path))
            content, fmt = message.html, "html"
            parts = [Part("subject", message.subject or ""), *html_parts(content, body_field="body")]
        except NoHtmlPartError:
            subject, content = read_message_text(Path(path))  # raises when there is no text either
            fmt = "text"
            parts = [Part("subject", subject), Part("body", content)]
        parts = [part for part in parts if part.text]
    else:
        html = args.format == "html" or path.lower().endswith(HTML_SUFFIXES)
        content = read_html_file(Path(path)) if html and path != "-" else _read(path)
        fmt = args.format or guess_format("" if path == "-" else path, content)
        parts = extract_parts(content, fmt, "standard input" if path == "-" else path)
    language = args.lang or (flow_language(content, path) if fmt == "flow" else "")
    if language not in LANGUAGES:
        language = guess_language(" ".join(p.text for p in parts))
    if language not in detectors:
        detectors[language] = Detector(load_rule_set(language, user_dirs=() if args.no_user_rules else None))
    # A flow file's brand lists words to avoid: flagged too, outside the tell density.
    brand_words = BrandWords(*flow_brand_words(content, path)) if fmt == "flow" else None
    return lint_parts(
        parts, detectors[language], source=path, target_grade=args.target_grade, brand_words=brand_words
    )


def _read(path: str) -> str:
    if path == "-":
        # The bytes, not sys.stdin's text: under a C or UTF-8 locale Python decodes standard input
        # with surrogateescape, so text that is not UTF-8 would only fail later, on output.
        return _decode_text(sys.stdin.buffer.read(), path)
    return _decode_text(read_file_bytes(Path(path)), path)


_UTF32_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"))


def _text_encoding(data: bytes) -> tuple[str, int]:
    """The encoding its byte-order mark names (else UTF-8) and the length of the mark."""
    for bom, encoding in _UTF32_BOMS:  # before UTF-16's mark, which starts UTF-32-LE's
        if data.startswith(bom):
            return encoding, len(bom)
    # Four bytes hold a byte-order mark but never a <meta charset>: only the mark counts here.
    return html_encoding(data[:4])


def _decode_text(data: bytes, path: str) -> str:
    """The text of a text file's bytes: UTF-8, or the UTF-8, -16 or -32 its byte-order mark names;
    line ends as reading in text mode gives them. A StudioError when it is not that text."""
    encoding, skip = _text_encoding(data)
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        name = "Standard input" if path == "-" else path
        if skip:
            message = (
                f"{name} is read as {encoding} (its byte-order mark), but byte {error.start + skip} is not."
            )
        else:
            message = f"{name} is not UTF-8 text; save it as UTF-8 (or with a byte-order mark) and try again."
        raise StudioError(message, str(error)) from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _print_report(report: LintReport, out: TextIO) -> None:
    grade = report.readability
    verdict = "reads machine-written" if report.flagged else "ok"
    over = (
        f", over the target {grade.target_grade:g}"
        if grade.over_target and grade.target_grade is not None
        else ""
    )
    out.write(
        f"{report.source}: {report.words} words, tell density {report.tell_density:.1f} ({verdict}); "
        f"reading grade {grade.grade:.1f} ({grade.grade_formula}){over}, "
        f"{grade.words_per_sentence:.1f} words per sentence\n"
    )
    label = _SUGGESTION_LABELS.get(report.language, _SUGGESTION_LABELS["en"])
    for part in report.parts:
        for flag in part.flags:
            where = f"{part.field}:" if part.field else ""
            if flag.scope == "document":
                location = f"{where}(whole text)"
            else:
                line, column = _line_column(part.text, flag.start)
                location = f"{where}{line}:{column}"
            quoted = f' "{flag.text}"' if flag.text else ""
            hint = f" {label} {flag.suggestion}" if flag.suggestion else ""
            out.write(f"  {location} [{flag.category}]{quoted} {flag.why}{hint}\n")
    texts = {part.field: part.text for part in report.parts}
    for field, sentence in report.long_sentences():
        line, column = _line_column(texts[field], sentence.start)
        where = f"{field}:" if field else ""
        out.write(f"  {where}{line}:{column} long sentence ({sentence.words} words)\n")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
