"""Jobs on a step's history: list its revisions, show or compare one, restore one."""

from __future__ import annotations

import argparse
import json
from typing import Any

from seqstudio.cli.sources import open_library
from seqstudio.core.errors import NotFoundError, StudioError
from seqstudio.core.model import Revision
from seqstudio.core.serialize import step_to_dict
from seqstudio.core.stepdiff import diff_steps, step_as_text


def register(subparsers: Any) -> None:
    history = subparsers.add_parser(
        "history",
        help="list, show, compare or restore the revisions of a step",
        description="Every change to a step is kept as a revision with its origin and time. "
        "Without --show or --restore, list them (newest first).",
    )
    history.add_argument("ref", metavar="ID", help="sequence id, id prefix or name in the library")
    history.add_argument("--step", type=int, required=True, choices=range(1, 7), metavar="N", help="step 1-6")
    history.add_argument("--show", type=int, metavar="REV", help="print revision REV")
    history.add_argument("--diff", type=int, metavar="REV", help="compare revision REV with the current text")
    history.add_argument(
        "--restore", type=int, metavar="REV", help="make revision REV current (kept as a new revision)"
    )
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=run_history)


def _find(revisions: list[Revision], revision_id: int) -> Revision:
    for revision in revisions:
        if revision.id == revision_id:
            return revision
    raise NotFoundError(f"Step has no revision {revision_id}; `seqstudio history ID --step N` lists them.")


def run_history(args: argparse.Namespace) -> int:
    library = open_library(args)
    try:
        sequence = library.get_sequence(library.resolve(args.ref))
        step = sequence.step(args.step)
        revisions = library.step_revisions(step.id)
        if args.restore is not None:
            restored = library.restore_step_revision(_find(revisions, args.restore).id)
            print(
                f"Restored revision {args.restore} of step {args.step}: {restored.email.subject or '(no subject)'}"
            )
            return 0
    finally:
        library.close()
    if args.show is not None:
        revision = _find(revisions, args.show)
        print(
            json.dumps(step_to_dict(revision.step), indent=2) if args.json else step_as_text(revision.step),
            end="",
        )
        return 0
    if args.diff is not None:
        print(diff_steps(_find(revisions, args.diff).step, step, f"revision {args.diff}"))
        return 0
    if args.json:
        rows = [
            {
                "id": r.id,
                "at": r.created_at.isoformat(timespec="seconds") + "Z",
                "origin": r.origin.value,
                "model": r.model,
                "subject": r.step.email.subject,
                "status": r.step.status.value,
            }
            for r in revisions
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not revisions:
        raise StudioError("This step has no revisions yet.")
    for r in revisions:
        print(
            f"{r.id:>5}  {r.created_at:%Y-%m-%d %H:%M}  {r.label:<28} {r.step.email.subject or '(no subject)'}"
        )
    return 0
