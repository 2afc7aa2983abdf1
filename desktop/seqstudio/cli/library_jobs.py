"""Jobs on sequences and the library: new, import, list, show, export-file, blueprints."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from seqstudio.cli.sources import FLOW_SUFFIXES, db_path, load_sequence_arg, load_source, open_library
from seqstudio.core.blueprints import BlueprintCatalog, new_sequence
from seqstudio.core.durations import describe_offset
from seqstudio.core.errors import StudioError
from seqstudio.core.flowfile import flow_document, read_brand_file, write_flow_file
from seqstudio.core.flowimport import import_flow_file
from seqstudio.core.model import Brand, OfferFacts, Sequence

KIND_ALIASES = {"cart": "cart_abandonment", "win-back": "win_back", "winback": "win_back"}


def register(subparsers: Any) -> None:
    new = subparsers.add_parser(
        "new",
        help="write a new sequence laid out from a blueprint",
        description="Lay out a new six-step sequence from a blueprint and write it as a flow file.",
    )
    new.add_argument(
        "kind", metavar="KIND", help="welcome, cart_abandonment, win_back, or your own blueprint id"
    )
    new.add_argument("--name", required=True, help="the sequence's name")
    new.add_argument(
        "--brand", metavar="BRAND.yaml", help="brand file (brand fields and an optional offer: block)"
    )
    new.add_argument(
        "--days-since-last-order", type=int, metavar="N", help="win-back: days after the last order"
    )
    new.add_argument("-o", "--output", required=True, metavar="FILE", help="flow file to write (.yaml)")
    new.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    new.set_defaults(handler=run_new)

    imp = subparsers.add_parser(
        "import",
        help="add a flow file to the library",
        description="Add a flow file to the library, or update the stored copy with the same id.",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--as-copy", action="store_true", help="add it beside the stored one, under new ids")
    imp.set_defaults(handler=run_import)

    lst = subparsers.add_parser(
        "list", help="list the sequences in the library", description="List the library."
    )
    lst.add_argument("--json", action="store_true", help="print a JSON array")
    lst.set_defaults(handler=run_list)

    show = subparsers.add_parser(
        "show",
        help="show a sequence",
        description="Show a sequence from the library (ID) or a flow file (FILE).",
    )
    show.add_argument("ref", metavar="ID|FILE")
    show.add_argument("--json", action="store_true", help="print the flow document as JSON")
    show.set_defaults(handler=run_show)

    export = subparsers.add_parser(
        "export-file",
        help="write a library sequence to a flow file",
        description="Write a sequence to a flow file.",
    )
    export.add_argument("ref", metavar="ID")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(handler=run_export_file)

    blueprints = subparsers.add_parser(
        "blueprints", help="list the blueprints on offer", description="List shipped and user blueprints."
    )
    blueprints.add_argument("--json", action="store_true")
    blueprints.set_defaults(handler=run_blueprints)


def _output_path(text: str, force: bool) -> Path:
    path = Path(text)
    if not text.lower().endswith(FLOW_SUFFIXES[:2]):
        raise StudioError(f"{text}: flow files end in .yaml or .yml")
    if path.exists() and not force:
        raise StudioError(f"{text} already exists; choose another name or pass --force to overwrite it")
    return path


def run_new(args: argparse.Namespace) -> int:
    output = _output_path(args.output, args.force)
    catalog = BlueprintCatalog()
    blueprint = catalog.get(KIND_ALIASES.get(args.kind, args.kind))
    brand, offer = read_brand_file(Path(args.brand)) if args.brand else (Brand(name="My brand"), OfferFacts())
    sequence = new_sequence(
        blueprint, args.name, brand, offer, days_since_last_order=args.days_since_last_order
    )
    write_flow_file(output, sequence)
    print(f"Wrote {output}: {blueprint.name}, six steps over {describe_offset(sequence.step_offsets()[-1])}.")
    if not args.brand:
        print("No --brand given: fill in the brand block in the file before drafting.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    library = open_library(args)
    try:
        result = import_flow_file(library, Path(args.file), as_copy=args.as_copy)
    finally:
        library.close()
    verb = "Imported" if result.added else "Updated"
    print(f"{verb} {result.sequence.id} ({result.sequence.name}) in {db_path(args)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    library = open_library(args)
    try:
        summaries = library.list_sequences()
    finally:
        library.close()
    if args.json:
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind.value,
                "brand": s.brand_name,
                "updated_at": s.updated_at.isoformat(timespec="seconds") + "Z",
                "statuses": [status.value for status in s.statuses],
            }
            for s in summaries
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not summaries:
        print(f"The library {db_path(args)} is empty. Start with `seqstudio new` and `seqstudio import`.")
        return 0
    for s in summaries:
        approved = sum(status.value == "approved" for status in s.statuses)
        print(f"{s.id}  {s.kind.label:<17} {s.name}  ({s.brand_name}; {approved}/6 approved)")
    return 0


def describe_sequence(sequence: Sequence) -> str:
    lines = [
        f"{sequence.name}  [{sequence.kind.label}, {sequence.language}]  id {sequence.id}",
        f"Brand: {sequence.brand.name}",
        f"Trigger: {sequence.trigger.event}"
        + (
            f" after {sequence.trigger.days_since_last_order} days"
            if sequence.trigger.days_since_last_order
            else ""
        )
        + (f" ({sequence.trigger.description})" if sequence.trigger.description else ""),
        "Exits: " + ("; ".join(e.event for e in sequence.exit_conditions) or "none"),
        "",
    ]
    for step, offset in zip(sequence.steps, sequence.step_offsets(), strict=True):
        subject = step.email.subject or "(no subject yet)"
        lines.append(f"{step.position}. {describe_offset(offset):<16} {step.purpose}  [{step.status.value}]")
        lines.append(f"   {subject}")
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    sequence = load_sequence_arg(args.ref, args)
    if args.json:
        print(json.dumps(flow_document(sequence), indent=2, ensure_ascii=False))
    else:
        print(describe_sequence(sequence))
    return 0


def run_export_file(args: argparse.Namespace) -> int:
    output = _output_path(args.output, args.force)
    source = load_source(args.ref, args)
    write_flow_file(output, source.sequence, meta=source.meta)  # remote ids travel with the file
    print(f"Wrote {output}")
    return 0


def run_blueprints(args: argparse.Namespace) -> int:
    catalog = BlueprintCatalog()
    blueprints = catalog.load()
    for problem in catalog.problems:
        print(f"seqstudio: warning: skipped {problem.user_message}", file=sys.stderr)
    if args.json:
        rows = [
            {"id": b.id, "kind": b.kind.value, "name": b.name, "path": b.path, "user_defined": b.user_defined}
            for b in blueprints.values()
        ]
        print(json.dumps(rows, indent=2))
        return 0
    for b in blueprints.values():
        origin = "yours" if b.user_defined else "shipped"
        print(f"{b.id:<20} {b.kind.label:<17} {b.name}  ({origin}: {b.path})")
    print(f"Add your own blueprint files to {catalog.folders[-1][0]}")
    return 0
