"""Drafting speed: six steps against the local OpenAI-compatible server with 0.5 s latency per
call, sequential (one request at a time) against concurrent (all six in flight), with one call as
the named baseline. Target (issue 4): concurrent wall time at most 1.5x one call.

    python -m benchmarks.draft_speed [--latency 0.5] [--repeat 3]

The event-loop stall half of the benchmark comes with the GUI.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Measure this checkout's code, not whichever seqstudio the environment has installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from tests.support.openai_server import OpenAICompatibleServer

from seqstudio.core.cancel import CancelToken
from seqstudio.core.drafting import LLMClient, ProviderSettings, draft_sequence, draft_step
from seqstudio.core.drafting.settings import Connection
from seqstudio.core.model import Brand, OfferFacts, Product, Sequence, SequenceKind, Step

TARGET_RATIO = 1.5


def six_step_sequence() -> Sequence:
    purposes = ("Welcome", "Brand story", "Bestseller", "Reviews", "Offer", "Last chance")
    steps = tuple(Step(f"st_{i}", i, "P1D", purpose) for i, purpose in enumerate(purposes, 1))
    offer = OfferFacts(products=(Product("Trail Runner", "129.00", "USD"),))
    return Sequence("seq_bench", SequenceKind.WELCOME, "Benchmark", Brand("Trailhead"), steps, offer=offer)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, default=0.5, help="seconds the server waits per call")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is printed")
    args = parser.parse_args(argv)
    sequence = six_step_sequence()
    with OpenAICompatibleServer(latency=args.latency) as server:

        def client(concurrency: int, plan_first: bool = False) -> LLMClient:
            settings = ProviderSettings(
                base_url=server.base_url, model="bench", max_concurrency=concurrency, plan_first=plan_first
            )
            return LLMClient(Connection(server.base_url, "sk-bench"), settings)

        def run(concurrency: int, plan_first: bool = False) -> None:
            results = draft_sequence(sequence, client=client(concurrency, plan_first), cancel=CancelToken())
            failed = [r for r in results if not r.ok]
            if failed:
                raise SystemExit(f"benchmark draft failed: {failed[0].error}")

        one = best_of(args.repeat, lambda: draft_step(sequence, 1, client=client(1), cancel=CancelToken()))
        sequential = best_of(args.repeat, lambda: run(1))
        default = ProviderSettings().max_concurrency  # what a user gets out of the box
        concurrent = best_of(args.repeat, lambda: run(default))
        planned = best_of(args.repeat, lambda: run(default, plan_first=True))
        peak = server.max_in_flight
    ratio = concurrent / one
    print(f"draft_speed: 6 steps, {args.latency:.2f} s server latency per call, best of {args.repeat}")
    print(f"  baseline  one call                  {one:6.2f} s")
    print(f"  sequential 6 steps, 1 in flight     {sequential:6.2f} s  ({sequential / one:.2f}x one call)")
    print(f"  concurrent 6 steps, {default} in flight     {concurrent:6.2f} s  ({ratio:.2f}x one call)")
    print(f"  concurrent with plan_first          {planned:6.2f} s  ({planned / one:.2f}x one call)")
    print(f"  speed-up concurrent vs sequential   {sequential / concurrent:6.2f}x   (peak in flight: {peak})")
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"  target concurrent <= {TARGET_RATIO}x one call: {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
