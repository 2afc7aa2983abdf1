"""Jobs that take a finished sequence out of the studio: export, simulate and send-test."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from seqstudio.cli.sources import Source, load_source
from seqstudio.core.errors import StudioError
from seqstudio.core.export import credentials
from seqstudio.core.export.bundle import write_bundle
from seqstudio.core.export.delivery import send_test, smtp_deliver
from seqstudio.core.export.klaviyo.exporter import export_klaviyo, plan_klaviyo
from seqstudio.core.export.rendering import default_render
from seqstudio.core.export.simulate import TimelineEntry, read_contacts, simulate
from seqstudio.core.export.smtp import SmtpSender, SmtpTarget
from seqstudio.core.export.targets import ExportTarget, klaviyo_client, target_text

TARGETS = [target.value for target in ExportTarget]


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="export a sequence: flow file, bundle, BPMN, n8n or Klaviyo",
        description="Export a sequence. For klaviyo, --dry-run prints the requests without sending any.",
    )
    export.add_argument("ref", metavar="FILE|ID")
    export.add_argument("--to", required=True, choices=TARGETS)
    export.add_argument(
        "-o", "--output", metavar="PATH", help="file, folder or .zip to write (default: stdout)"
    )
    export.add_argument(
        "--dry-run", action="store_true", help="show what would happen; write and send nothing"
    )
    export.add_argument("--json", action="store_true", help="machine-readable output")
    export.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    export.set_defaults(handler=run_export)

    sim = subparsers.add_parser(
        "simulate",
        help="run the flow's BPMN for sample contacts on a simulated clock",
        description="Simulate the flow for CONTACTS.csv (email,first_name,order_after[,timezone]).",
    )
    sim.add_argument("ref", metavar="FILE|ID")
    sim.add_argument("--contacts", required=True, metavar="CONTACTS.csv")
    sim.add_argument("--smtp", metavar="HOST:PORT", help="deliver each send to this SMTP server")
    sim.add_argument("--start", metavar="ISO", help="when the contacts enter the flow (default: now, UTC)")
    sim.add_argument(
        "--json", action="store_true", help="print a JSON array of {email, step, at, sent, reason}"
    )
    sim.set_defaults(handler=run_simulate)

    test = subparsers.add_parser(
        "send-test", help="send one step to yourself as a test", description="Send step N as a real email."
    )
    test.add_argument("ref", metavar="FILE|ID")
    test.add_argument("--step", required=True, type=int, metavar="N")
    test.add_argument("--to", required=True, metavar="ADDRESS")
    test.add_argument("--smtp", default="localhost:25", metavar="HOST:PORT")
    test.add_argument("--starttls", action="store_true")
    test.add_argument("--user", default="", help="SMTP user; the password comes from the keyring")
    test.set_defaults(handler=run_send_test)


def _writable(path_text: str | None, force: bool) -> Path | None:
    if path_text is None:
        return None
    path = Path(path_text)
    if path.exists() and not force and not (path.is_dir() and not any(path.iterdir())):
        raise StudioError(f"{path_text} already exists; choose another name or pass --force to overwrite it")
    return path


def _emit(text: str, path: Path | None, dry_run: bool) -> None:
    if path is None:
        sys.stdout.write(text)
    elif dry_run:
        print(f"Would write {path} ({len(text.encode())} bytes)")
    else:
        path.write_text(text, encoding="utf-8")
        print(f"Wrote {path}")


def run_export(args: argparse.Namespace) -> int:
    source = load_source(args.ref, args)
    output = _writable(args.output, args.force)
    render = default_render()
    if args.to == "klaviyo":
        return _run_klaviyo(source, args)
    target = ExportTarget(args.to)
    if target is not ExportTarget.BUNDLE:
        _emit(target_text(target, source.sequence, source.meta, render, output), output, args.dry_run)
    else:
        if output is None:
            raise StudioError("--to bundle needs -o FOLDER or -o FILE.zip")
        if args.dry_run:
            print(f"Would write the flow file and 12 email files to {output}")
            return 0
        written = write_bundle(output, source.sequence, render, source.meta)
        print(f"Wrote {len(written)} files to {output}")
    return 0


def _run_klaviyo(source: Source, args: argparse.Namespace) -> int:
    render = default_render()
    if args.dry_run:
        plan = plan_klaviyo(source.sequence, source.meta, render=render)
        if args.json:
            print(json.dumps([request.to_json() for request in plan], indent=2, ensure_ascii=False))
        else:
            for request in plan:
                print(f"{request.method:<6} {request.path}")
            print(f"{len(plan)} requests; nothing was sent (--dry-run).")
        return 0
    client = klaviyo_client(credentials.klaviyo_api_key())

    def progress(done: int, total: int, message: str) -> None:
        if not args.json:
            print(f"[{done}/{total}] {message}", file=sys.stderr)

    result = export_klaviyo(
        source.sequence, source.meta, client, render=render, checkpoint=source.keep, on_progress=progress
    )
    source.keep(result.meta)
    if args.json:
        summary = {
            "flow_id": result.flow_id,
            "created": result.created,
            "updated": result.updated,
            "notes": result.notes,
        }
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"Klaviyo flow {result.flow_id}: created {len(result.created)}, updated {len(result.updated)}; all emails in draft."
        )
        for note in result.notes:
            print(f"note: {note}")
        print(f"Remote ids kept in {source.path or 'the library export state'}.")
    return 0


def _print_timeline(timeline: list[TimelineEntry]) -> None:
    for entry in timeline:
        at = entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if entry.at else "-"
        what = "sent" if entry.sent else "skipped"
        print(f"{entry.email:<32} {entry.step}  {at:<20} {what:<8} {entry.reason}".rstrip())


def run_simulate(args: argparse.Namespace) -> int:
    source = load_source(args.ref, args)
    contacts = read_contacts(Path(args.contacts))
    start = _parse_start(args.start)
    if args.smtp:
        with SmtpSender(SmtpTarget.parse(args.smtp)) as sender:
            timeline = simulate(
                source.sequence,
                contacts,
                start=start,
                deliver=smtp_deliver(source.sequence, sender, default_render()),
            )
    else:
        timeline = simulate(source.sequence, contacts, start=start)
    if args.json:
        print(json.dumps([entry.to_json() for entry in timeline], indent=2))
    else:
        _print_timeline(timeline)
        sent = sum(entry.sent for entry in timeline)
        print(
            f"{sent} emails sent to {len(contacts)} contacts"
            + (f" through {args.smtp}" if args.smtp else "")
            + "."
        )
    return 0


def _parse_start(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise StudioError(f"--start {text!r} is not an ISO date and time such as 2026-01-05T09:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_send_test(args: argparse.Namespace) -> int:
    source = load_source(args.ref, args)
    target = SmtpTarget.parse(args.smtp, starttls=args.starttls, user=args.user)
    password = credentials.smtp_password(target.host, target.user) if target.user else ""
    message_id = send_test(
        source.sequence, args.step, args.to, target, render=default_render(), password=password
    )
    print(f"Sent step {args.step} to {args.to} through {target.host}:{target.port} ({message_id})")
    return 0
