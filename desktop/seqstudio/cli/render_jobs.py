"""Jobs that render and check emails: render, check, preview.

`preview` (and the mobile-overflow part of `check`) need the web engine, which lives in
seqstudio.gui; the launcher hands it in as `args.page_shooter` (a factory), so this module
never imports Qt. Without it, `check` says the width was not measured and `preview` exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from seqstudio.core.errors import StudioError
from seqstudio.core.model import Sequence
from seqstudio.core.render.checks import Check, EmailChecker, Level, mobile_overflow
from seqstudio.core.render.filecheck import CheckedFile, check_email_file
from seqstudio.core.render.htmlsource import HTML_SUFFIXES, MESSAGE_SUFFIXES, read_email_file, read_html_file
from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.layouts import LAYOUTS, Contact
from seqstudio.core.render.linkcheck import LinkChecker, link_checks, link_targets, to_open
from seqstudio.core.render.pipeline import RenderedEmail, Renderer
from seqstudio.core.render.preview import PHONE_WIDTH, PageShooter, PreviewError

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT = 0, 1, 2


def register(subparsers: Any) -> None:
    render = subparsers.add_parser(
        "render",
        help="write each step as inlined HTML, plain text and its checks",
        description="Render every step of a sequence: DIR/step-N.html (inlined), step-N.txt (the "
        "plain-text part), step-N.checks.json, and sequence-checks.json. Merge tags are filled from a "
        "sample contact (--contact), as a preview; with --keep-tags they stay for your email platform to "
        "fill, which is what to upload. Exit 0 when no check is an error, 1 when one is, 2 for bad input.",
    )
    render.add_argument(
        "source", metavar="FILE|ID", help="a flow file, or a sequence id or name in the library"
    )
    render.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write into")
    _add_render_options(render)
    render.add_argument(
        "--today", metavar="YYYY-MM-DD", help="date the offer checks count from (default: today)"
    )
    render.add_argument(
        "--no-render", action="store_true", help="skip the web engine (no mobile-overflow measurement)"
    )
    render.add_argument(
        "--keep-tags",
        action="store_true",
        help="leave merge tags such as {{ first_name }} for your email platform (no sample contact)",
    )
    _add_links_option(render)
    render.set_defaults(handler=run_render)

    check = subparsers.add_parser(
        "check",
        help="run the pre-send checks on HTML emails",
        description="Run the email checks on any HTML email (inlined first, as it would be sent), or on "
        "a saved message (.eml: its HTML part as sent, its subject, whether it has a plain-text part). "
        "Exit 0 when no check is an error, 1 when one is, 2 when a file cannot be read.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH.html|PATH.eml")
    check.add_argument("--json", action="store_true", help="print a JSON array, one object per file")
    check.add_argument("--subject", help="also check this subject line (for a .eml: instead of its own)")
    _add_links_option(check)
    check.add_argument(
        "--no-render", action="store_true", help="skip the web engine (no mobile-overflow measurement)"
    )
    check.set_defaults(handler=run_check)

    preview = subparsers.add_parser(
        "preview",
        help="save a PNG of an email as a WebKit/Blink client shows it",
        description="Draw an HTML email, or one step of a flow file or library sequence, with "
        "JavaScript off and remote images blocked, and save the whole page as PNG. This is how "
        "WebKit/Blink clients show it (Apple Mail, Gmail apps, webmail), not Outlook on Windows.",
    )
    preview.add_argument("source", metavar="PATH.html|PATH.eml|FILE|ID")
    preview.add_argument(
        "--step", type=int, default=1, metavar="N", help="step to draw (flows only; default 1)"
    )
    preview.add_argument("--width", type=int, default=PHONE_WIDTH, help="viewport width in px (default 375)")
    preview.add_argument("-o", "--output", required=True, metavar="PNG")
    preview.add_argument("--allow-remote-images", action="store_true", help="load images from the web")
    preview.add_argument("--dark", action="store_true", help="force dark mode, as some clients do")
    _add_render_options(preview)
    preview.set_defaults(handler=run_preview)


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layout", choices=LAYOUTS, default="branded", help="email layout (default branded)")
    parser.add_argument("--contact", metavar="ID", help="sample contact whose merge data fills the tags")


def _add_links_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--links",
        action="store_true",
        help="also open every link and image address (each once; never unsubscribe links or addresses "
        "with merge tags) and report dead ones, refusals and redirects",
    )


def _load_sequence(args: argparse.Namespace, text: str) -> Sequence:
    # Imported here: the library pulls in SQLAlchemy, which `check` never needs.
    from seqstudio.cli.sources import load_sequence_arg

    return load_sequence_arg(text, args)


def _contact(renderer: Renderer, contact_id: str | None) -> Contact | None:
    if contact_id is None:
        return None
    for contact in renderer.sample_contacts:
        if contact.id == contact_id:
            return contact
    known = ", ".join(c.id for c in renderer.sample_contacts)
    raise StudioError(f"There is no sample contact '{contact_id}'; choose one of {known}.")


def _today(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise StudioError(f"--today '{text}' is not a date such as 2026-11-30.") from error


def run_render(args: argparse.Namespace) -> int:
    renderer = Renderer()
    sequence = _load_sequence(args, args.source)
    if args.keep_tags and args.contact:
        raise StudioError("--keep-tags leaves the merge tags unfilled; drop --contact, or --keep-tags.")
    contact = None if args.keep_tags else _contact(renderer, args.contact)
    rendered = renderer.render_sequence(
        sequence, today=_today(args.today), layout=args.layout, contact=contact, keep_tags=args.keep_tags
    )
    out = _output_folder(Path(args.output))
    if not args.keep_tags:
        person = contact or renderer.sample_contacts[0]
        print(f"merge tags filled from the sample contact '{person.id}' (--keep-tags to leave them)")
    errors = any(c.level is Level.ERROR for c in rendered.checks)
    shooter = None if args.no_render else _shooter(args, required=False)
    links = _opened_links([email.html for email in rendered.emails]) if args.links else None
    for email in rendered.emails:
        stem = out / f"step-{email.position}"
        stem.with_suffix(".html").write_text(email.html, encoding="utf-8")
        stem.with_suffix(".txt").write_text(email.text, encoding="utf-8")
        checks = list(email.checks)
        if links is not None:
            checks += links[email.html]
        if not args.no_render:
            checks += _measured_overflow(shooter, email.html, stem.with_suffix(".html"))
        report = _report(stem.with_suffix(".html"), email.bytes, email.inlined_bytes, checks)
        report["subject"] = email.subject
        stem.with_suffix(".checks.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"step {email.position}: {stem.with_suffix('.html')} ({_summary(checks)})")
        errors = errors or any(c.level is Level.ERROR for c in checks)
    sequence_report = [check.as_json() for check in rendered.checks]
    (out / "sequence-checks.json").write_text(json.dumps(sequence_report, indent=2) + "\n", encoding="utf-8")
    print(f"sequence: {out / 'sequence-checks.json'} ({_summary(rendered.checks)})")
    return EXIT_PARTIAL if errors else EXIT_OK


def _output_folder(out: Path) -> Path:
    """`out`, made if missing; a clear StudioError when it is a file or cannot be made."""
    if out.exists() and not out.is_dir():
        raise StudioError(f"{out} is a file; -o names the folder to write the steps into.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StudioError(f"Cannot make the folder {out}: {error.strerror}.", str(error)) from error
    return out


def run_check(args: argparse.Namespace) -> int:
    checker, inliner = EmailChecker(), Inliner()
    shooter = None if args.no_render else _shooter(args, required=False)
    reports, unreadable, errors = [], 0, False
    files: list[CheckedFile] = []
    for name in args.paths:
        try:
            files.append(check_email_file(Path(name), subject=args.subject, checker=checker, inliner=inliner))
        except StudioError as error:  # the message names the file
            print(f"seqstudio: error: {error.user_message}", file=sys.stderr)
            unreadable += 1
    links = _opened_links([checked.html for checked in files]) if args.links else None
    for checked in files:
        path = checked.path
        checks = list(checked.checks)
        if links is not None:
            checks += links[checked.html]
        if not args.no_render:
            checks += _measured_overflow(shooter, checked.html, path)
        errors = errors or any(c.level is Level.ERROR for c in checks)
        report = _report(path, len(checked.source.encode("utf-8")), len(checked.html.encode("utf-8")), checks)
        if checked.subject is not None:
            report["subject"] = checked.subject
        reports.append(report)
    if args.json:
        print(json.dumps(reports, indent=2))
    else:
        for report in reports:
            _print_report(report)
    if unreadable:
        return EXIT_BAD_INPUT
    return EXIT_PARTIAL if errors else EXIT_OK


def run_preview(args: argparse.Namespace) -> int:
    source, out = Path(args.source), Path(args.output)
    if out.is_dir():
        raise StudioError(f"{out} is a folder; -o names the PNG file to write, e.g. {out / 'preview.png'}.")
    if out.suffix.lower() != ".png":
        raise StudioError(f"{out}: a preview is a PNG image; name the file .png.")
    base_url = ""
    if source.suffix.lower() in HTML_SUFFIXES:
        html = read_html_file(source)
        base_url = source.resolve().parent.as_uri() + "/"
    elif source.suffix.lower() in MESSAGE_SUFFIXES:
        html = read_email_file(source).html_for_display()  # as sent, its cid: images drawn
    else:
        html = _render_step(args, _load_sequence(args, args.source)).html
    shooter = _shooter(args, required=True)
    assert shooter is not None
    shot = shooter(
        html,
        width=args.width,
        allow_remote_images=args.allow_remote_images,
        dark=args.dark,
        base_url=base_url,
    )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(shot.png)
    except OSError as error:
        raise StudioError(f"Cannot write {out}: {error.strerror}.", str(error)) from error
    print(f"{out}: {shot.width} x {shot.height} px")
    if shot.scroll_width > shot.width:
        print(f"note: the page is {shot.scroll_width} px wide at {shot.width} px (mobile-overflow)")
    return EXIT_OK


def _opened_links(emails: list[str]) -> dict[str, list[Check]]:
    """The link checks of each email (by its HTML), every distinct address opened once."""
    targets = {html: link_targets(html) for html in emails}
    urls = [t.url for found in targets.values() for t in found if to_open(t)]
    statuses = LinkChecker().statuses(urls)
    return {html: link_checks(found, statuses) for html, found in targets.items()}


def _render_step(args: argparse.Namespace, sequence: Sequence) -> RenderedEmail:
    renderer = Renderer()
    try:
        step = sequence.step(args.step)
    except KeyError as error:
        raise StudioError(
            f"'{sequence.name}' has no step {args.step}; steps are 1 to {len(sequence.steps)}."
        ) from error
    return renderer.render_email(
        step.email,
        brand=sequence.brand,
        language=sequence.language,
        layout=args.layout,
        contact=_contact(renderer, args.contact),
        position=step.position,
    )


def _shooter(args: argparse.Namespace, *, required: bool) -> PageShooter | None:
    factory = getattr(args, "page_shooter", None)
    if factory is None:
        if required:
            raise PreviewError(
                "Previews need the web engine, which this entry point does not have; run `seqstudio`."
            )
        return None
    try:
        shooter: PageShooter = factory()
    except (ImportError, OSError, PreviewError) as error:
        if required:
            raise PreviewError(f"The web engine could not start: {error}", repr(error)) from error
        print(f"seqstudio: warning: no web engine, mobile-overflow not measured ({error})", file=sys.stderr)
        return None
    return shooter


def _measured_overflow(shooter: PageShooter | None, html: str, path: Path) -> list[Check]:
    if shooter is None:
        return mobile_overflow(None)
    try:
        shot = shooter(html, width=PHONE_WIDTH, base_url=path.resolve().parent.as_uri() + "/")
    except PreviewError as error:
        print(f"seqstudio: warning: {path}: {error.user_message}", file=sys.stderr)
        return mobile_overflow(None)
    return mobile_overflow(shot.scroll_width)


def _report(path: Path, size: int, inlined: int, checks: Any) -> dict[str, Any]:
    return {
        "path": str(path),
        "bytes": size,
        "inlined_bytes": inlined,
        "checks": [check.as_json() for check in checks],
    }


def _summary(checks: Any) -> str:
    counts = {level: sum(1 for c in checks if c.level is level) for level in Level}
    return ", ".join(f"{n} {level.value}{'s' if n != 1 else ''}" for level, n in counts.items())


def _print_report(report: dict[str, Any]) -> None:
    print(
        f"{report['path']}: {report['bytes'] / 1000:.1f} KB, {report['inlined_bytes'] / 1000:.1f} KB inlined"
    )
    if not report["checks"]:
        print("  no problems found")
    for check in report["checks"]:
        where = f" [{check['where']}]" if check["where"] else ""
        print(f"  {check['level']:<7} {check['id']:<22} {check['message']}{where}")
