"""`seqstudio draft FILE|ID`: draft the emails of a sequence, in the flow file or in the library.

Each finished step is saved as it arrives, so a cancel (Ctrl+C) or a failed step loses nothing
that already came back. Steps a person has written in are skipped unless --overwrite is given;
their old text stays in the history either way. Exit 0 when every step drafted, 1 when some
failed or were skipped, 2 for bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from seqstudio.cli.sources import Source, load_source, open_library
from seqstudio.core.cancel import CancelToken
from seqstudio.core.drafting import StepDraftResult, draft_sequence, make_client
from seqstudio.core.drafting.apply import drafted_step, plan_draft, revision_origin
from seqstudio.core.errors import StudioError
from seqstudio.core.preferences import load_preferences
from seqstudio.core.secrets import SecretStore
from seqstudio.core.serialize import email_to_dict
from seqstudio.core.storage import Library


def register(subparsers: Any) -> None:
    draft = subparsers.add_parser(
        "draft",
        help="draft a sequence's emails with the LLM (or offline)",
        description="Draft the emails of a sequence from a flow file (FILE) or the library (ID) and save "
        "them there. Uses the provider from Settings, OPENAI_BASE_URL and the key from `seqstudio key`; "
        "with neither a key nor an endpoint, an offline draft is written.",
    )
    draft.add_argument("ref", metavar="FILE|ID")
    draft.add_argument(
        "--step", type=int, action="append", choices=range(1, 7), metavar="N", help="only step N (repeatable)"
    )
    draft.add_argument("--model", help="model name, e.g. gpt-4o-mini or llama3.1")
    draft.add_argument(
        "--base-url", metavar="URL", help="an OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, …)"
    )
    draft.add_argument("--offline", action="store_true", help="write offline drafts; no network")
    draft.add_argument("--overwrite", action="store_true", help="also redraft steps a person has edited")
    draft.add_argument("--json", action="store_true", help="print the drafted steps as JSON")
    draft.set_defaults(handler=run)


def _result_json(result: StepDraftResult) -> dict[str, Any]:
    return {
        "step": result.position,
        "ok": result.ok,
        "origin": result.origin,
        "email": email_to_dict(result.email) if result.email else None,
        "tokens": dataclasses.asdict(result.tokens),
        "cost_usd": result.cost_usd,
        "facts_not_in_offer": [dataclasses.asdict(finding) for finding in result.findings],
        "error": result.error,
    }


class _Saver:
    """Saves each finished step where the sequence came from, as soon as it arrives."""

    def __init__(self, source: Source, library: Library | None) -> None:
        self.source, self.library = source, library

    def __call__(self, result: StepDraftResult) -> None:
        if not result.ok:
            return
        sequence = self.source.sequence
        step = drafted_step(sequence.step(result.position), result)
        if self.library is not None:
            origin, model = revision_origin(result)
            step = self.library.save_step(sequence.id, step, origin, model)
        steps = tuple(step if s.id == step.id else s for s in sequence.steps)
        self.source.sequence = dataclasses.replace(sequence, steps=steps)
        if self.source.path is not None:
            self.source.keep(self.source.meta)  # rewrites the file, keeping its x- blocks and identity


def run(args: argparse.Namespace) -> int:
    preferences = load_preferences()
    if preferences.problem:
        print(f"seqstudio: warning: {preferences.problem}", file=sys.stderr)
    provider = preferences.preferences.provider
    overrides = {"model": args.model, "base_url": args.base_url, "offline": True if args.offline else None}
    provider = dataclasses.replace(provider, **{k: v for k, v in overrides.items() if v is not None})
    client = make_client(provider, SecretStore())

    source = load_source(args.ref, args)
    sequence = source.sequence
    library = None if source.path is not None else open_library(args)
    try:
        plan = plan_draft(sequence, args.step, overwrite=args.overwrite)
        for position in plan.protected:
            print(
                f"Step {position}: skipped, it holds your edits (--overwrite redrafts it; the text stays in its history)",
                file=sys.stderr,
            )
        if not plan.positions:
            raise StudioError(
                "Nothing to draft: every chosen step holds your edits. Pass --overwrite to redraft them."
            )
        saver = _Saver(source, library)
        progress = (lambda done, total, message: None) if args.json else _print_progress
        results = draft_sequence(
            sequence,
            client=client,
            cancel=CancelToken(),
            on_progress=progress,
            on_step_done=saver,
            positions=plan.positions,
        )
    finally:
        if library is not None:
            library.close()
    if args.json:
        print(json.dumps([_result_json(r) for r in results], indent=2, ensure_ascii=False))
    else:
        _print_summary(results, source.path or args.ref)
    failed = [r for r in results if not r.ok]
    return 1 if failed or plan.protected else 0


def _print_progress(done: int, total: int, message: str) -> None:
    print(f"[{done}/{total}] {message}", file=sys.stderr)


def _print_summary(results: list[StepDraftResult], where: object) -> None:
    total_cost = sum(r.cost_usd or 0.0 for r in results)
    for result in results:
        if result.email is None:
            print(f"Step {result.position}: FAILED: {result.error}")
            continue
        tokens = result.tokens
        estimate = " (estimated)" if tokens.estimated else ""
        print(f"Step {result.position}: {result.email.subject}")
        print(f"    {result.origin}; {tokens.prompt} + {tokens.completion} tokens{estimate}")
        for finding in result.findings:
            print(f"    check: {finding.message}")
    drafted = sum(r.ok for r in results)
    cost = f"; about ${total_cost:.4f}" if total_cost else ""
    print(f"Drafted {drafted} of {len(results)} steps into {where}{cost}.")
