"""How long an autosave blocks the GUI thread: Library.save_step on a library with history,
against the named baseline of one raw sqlite3 UPDATE + INSERT on the same file layout.

Run: python -m benchmarks.library_autosave [--saves N]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from seqstudio.core.blueprints import BlueprintCatalog, new_sequence
from seqstudio.core.model import Brand, RevisionOrigin
from seqstudio.core.storage import Library


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, max {ordered[-1] * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=400)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="seqstudio-bench-"))
    clock_now = [datetime(2026, 1, 1)]
    library = Library(folder / "bench.sqlite3", clock=lambda: clock_now[0])
    catalog = BlueprintCatalog().load()
    sequences = [
        new_sequence(catalog[k], f"{k} {i}", Brand(name="Bench")) for i in range(20) for k in catalog
    ]
    for sequence in sequences:
        library.add_sequence(sequence)
    target = sequences[0]
    step = target.steps[2]
    body = ""
    timings: list[float] = []
    for index in range(args.saves):
        body += "word "
        clock_now[0] += timedelta(minutes=3 if index % 10 == 0 else 1)  # a mix of new and coalesced revisions
        edited = replace(step, email=replace(step.email, body=body))
        started = time.perf_counter()
        step = library.save_step(target.id, edited, RevisionOrigin.HUMAN_EDIT)
        timings.append(time.perf_counter() - started)
    revisions = len(library.step_revisions(step.id))
    library.close()

    raw = sqlite3.connect(folder / "bench.sqlite3")
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    baseline: list[float] = []
    for index in range(args.saves):
        started = time.perf_counter()
        with raw:
            raw.execute("UPDATE steps SET body = ? WHERE id = ?", ("x" * index, step.id))
            raw.execute(
                "INSERT INTO step_revisions (step_id, created_at, updated_at, origin, model, content_json) "
                "VALUES (?, ?, ?, 'human_edit', '', '{}')",
                (step.id, "2026-01-01", "2026-01-01"),
            )
        baseline.append(time.perf_counter() - started)
    raw.close()

    print(
        f"library: {len(sequences)} sequences, {args.saves} autosaves of one step, {revisions} revisions kept"
    )
    print(f"Library.save_step       : {_percentiles(timings)}")
    print(f"baseline raw sqlite3    : {_percentiles(baseline)}")
    print(
        f"overhead at p50         : {statistics.median(timings) / statistics.median(baseline):.1f}x the raw write"
    )
    print("budget: an autosave runs on the GUI thread, so it should stay well under one 16 ms frame")


if __name__ == "__main__":
    main()
