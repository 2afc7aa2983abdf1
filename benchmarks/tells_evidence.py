"""Per-rule evidence: how often each rule fires on AI vs human texts of the tune split.

    python -m benchmarks.tells_evidence [--corpus PATH] [--split tune] [--lang en] [--raw]

For each rule it prints the share of AI and of human documents it fires on (surface-masked
unless --raw), the smoothed rate ratio, the severity those rates suggest, and DROP for rules that
fire on human copy without separating. Severities in resources/tells/*.yaml are set by hand from
this table on the tune split only; held-out texts are for tells_quality to score.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from benchmarks.aitell_corpus import SPLITS, corpus_path, load_corpus, mask_surface, select
from seqstudio.core.tells.detector import Detector
from seqstudio.core.tells.rules import load_rule_set, shipped_pack_path

# A rule that fires on at least this share of human texts must be this many times likelier on AI text.
HUMAN_RATE_LIMIT = 0.05
MIN_RATIO_WHEN_COMMON = 3.0


THIN = 5  # fewer AI documents than this, and none human: too few to move a severity either way


def suggested_severity(ai: int, human: int, ai_rate: float, human_rate: float, ratio: float) -> str:
    if human == 0 and ai < THIN:
        return "keep"  # thin evidence: the severity stays at what the public lists suggest
    if human_rate >= HUMAN_RATE_LIMIT and ratio < MIN_RATIO_WHEN_COMMON:
        return "DROP"
    if ratio >= 8:
        return "3"
    if ratio >= 3:
        return "2"
    if ratio >= 1.5:
        return "1"
    return "DROP"


def write_evidence(path: Path, notes: dict[str, str]) -> None:
    """Set each rule's `evidence:` line (added after `severity:`), leaving the rest of the file as written."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("- id: "):
            current = stripped[len("- id: ") :]
        if stripped.startswith("evidence:") and current in notes:
            continue  # replaced below
        out.append(line)
        if stripped.startswith("severity:") and current in notes:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}evidence: {notes[current]}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.tells_evidence", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--corpus", help="JSONL corpus (default: ../shared/eval/aitell/dev.jsonl)")
    parser.add_argument("--split", choices=SPLITS, default="tune")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--raw", action="store_true", help="do not mask surface features")
    parser.add_argument(
        "--write-evidence",
        action="store_true",
        help="record the counts in each rule's `evidence:` line of the pack",
    )
    args = parser.parse_args(argv)
    path = corpus_path(args.corpus)
    if not path.is_file():
        print(f"corpus not found: {path}", file=sys.stderr)
        return 2
    items = select(load_corpus(path), args.split)
    detector = Detector(load_rule_set(args.lang, user_dirs=()))
    fired: dict[str, dict[str, int]] = {r.id: {"ai": 0, "human": 0} for r in detector.rule_set.active_rules()}
    totals = {"ai": 0, "human": 0}
    for item in items:
        text = item.text if args.raw else mask_surface(item.text)
        totals[item.label] += 1
        for rule_id in {f.rule_id for f in detector.analyse(text).flags}:
            fired[rule_id][item.label] += 1
    print(f"split={args.split} masked={not args.raw} ai={totals['ai']} human={totals['human']}")
    if args.write_evidence:
        label = f"{args.split} split{'' if args.raw else ', masked'}"
        notes = {
            rule_id: f"AI {c['ai']}/{totals['ai']}, human {c['human']}/{totals['human']} documents ({label})"
            for rule_id, c in fired.items()
        }
        write_evidence(shipped_pack_path(args.lang), notes)
    print(f"{'rule':38} {'AI docs':>12} {'human docs':>12} {'ratio':>7}  sev  suggested")
    for rule in detector.rule_set.active_rules():
        ai, human = fired[rule.id]["ai"], fired[rule.id]["human"]
        ai_rate = ai / max(totals["ai"], 1)
        human_rate = human / max(totals["human"], 1)
        # Add-half smoothing so a rule never seen on human text does not get an infinite ratio.
        ratio = ((ai + 0.5) / (totals["ai"] + 1)) / ((human + 0.5) / (totals["human"] + 1))
        print(
            f"{rule.id:38} {ai:4d} ({ai_rate:4.0%}) {human:4d} ({human_rate:4.0%}) {ratio:7.1f}"
            f"  {rule.severity:>3}  {suggested_severity(ai, human, ai_rate, human_rate, ratio)}"
            f"   log2={math.log2(ratio):+.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
