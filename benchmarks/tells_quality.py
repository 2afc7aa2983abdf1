"""Quality of the tell density as an AI-vs-human score, on a labelled JSONL corpus.

    python -m benchmarks.tells_quality [--corpus PATH] [--split tune|heldout|all] [--lang en|de] [--raw]
                                       [--truncate N]

For each split it prints document-level AUROC (95% stratified bootstrap interval), and at the
shipping threshold (detector.SHIPPING_THRESHOLD) the share of AI texts caught, the share of human
texts over the threshold, the share of human texts with any flag, and flags per 100 words on human
texts. Baselines in the same run, on the same texts:
* proselint: its warnings per 100 words (a general prose linter, not an AI-tell detector);
* unweighted rules: our packs with every severity set to 1 and no document rules, which shows
  what the evidence weighting adds over the phrase lists themselves.
Texts are surface-masked by default (see benchmarks/aitell_corpus.py); --raw scores them as they
are, --truncate N cuts every text to its first N words to take length out of the comparison.
The rule severities were set on the tune split; held-out figures are the ones that count.
The rule pack is the corpus's language (its rows' `language` field, English by default) unless
--lang names one; rows of another language are left out. proselint checks English only, so its
baseline runs on English corpora only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

from benchmarks.aitell_corpus import (
    Item,
    corpus_language,
    corpus_path,
    load_corpus,
    mask_surface,
    select,
    truncate_words,
)
from benchmarks.roc import auroc, bootstrap_interval
from seqstudio.core.tells.detector import SHIPPING_THRESHOLD, Detector
from seqstudio.core.tells.rules import RuleSet, load_rule_set

Scorer = Callable[[str], float]


def unweighted(rule_set: RuleSet) -> RuleSet:
    rules = tuple(replace(r, severity=1) for r in rule_set.rules if not r.is_document_rule)
    return replace(rule_set, rules=rules)


def proselint_scorer() -> Scorer | None:
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        return None
    CheckRegistry().register_many(__register__)
    config = dict(DEFAULT)
    config["max_errors"] = 10**9  # proselint stops at 1000 by default; count them all

    def score(text: str) -> float:
        words = max(len(text.split()), 1)
        return 100.0 * len(LintFile("text", text).lint(config)) / words  # type: ignore[arg-type]

    return score


def report(name: str, items: Sequence[Item], scores: Sequence[float], threshold: float | None) -> None:
    ai = [s for s, i in zip(scores, items, strict=True) if i.is_ai]
    human = [s for s, i in zip(scores, items, strict=True) if not i.is_ai]
    value = auroc(ai, human)
    low, high = bootstrap_interval(ai, human)
    line = f"  {name:22} AUROC {value:.3f} [{low:.3f}, {high:.3f}]"
    if threshold is not None:
        caught = sum(s >= threshold for s in ai) / len(ai)
        human_over = sum(s >= threshold for s in human) / len(human)
        line += f"  AI caught {caught:5.1%}  human over threshold {human_over:5.1%}"
    print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.tells_quality", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--corpus", help="JSONL corpus (default: ../shared/eval/aitell/dev.jsonl)")
    parser.add_argument("--split", choices=("tune", "heldout", "all", "each"), default="each")
    parser.add_argument("--lang", choices=("en", "de"), help="rule pack (default: the corpus's language)")
    parser.add_argument("--raw", action="store_true", help="do not mask surface features")
    parser.add_argument(
        "--truncate", type=int, default=0, metavar="N", help="cut texts to their first N words"
    )
    parser.add_argument("--no-proselint", action="store_true", help="skip the (slow) proselint baseline")
    args = parser.parse_args(argv)
    path = corpus_path(args.corpus)
    if not path.is_file():
        print(f"corpus not found: {path}", file=sys.stderr)
        return 2
    corpus = load_corpus(path)
    try:
        language = args.lang or corpus_language(corpus)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    corpus = [i for i in corpus if i.language == language]
    rule_set = load_rule_set(language, user_dirs=())
    detector = Detector(rule_set)
    plain = Detector(unweighted(rule_set))
    with_proselint = not args.no_proselint and language == "en"
    baseline = proselint_scorer() if with_proselint else None
    splits = ("tune", "heldout", "all") if args.split == "each" else (args.split,)
    print(
        f"corpus {path.name} ({language}): masked={not args.raw} truncate={args.truncate or 'no'}"
        f" shipping threshold={SHIPPING_THRESHOLD}"
    )
    for split in splits:
        items = select(corpus, split)
        n_ai = sum(i.is_ai for i in items)
        print(f"{split}: {n_ai} AI, {len(items) - n_ai} human")
        if n_ai in (0, len(items)):
            print("  (needs texts of both labels; skipped)")
            continue
        texts = [i.text if args.raw else mask_surface(i.text) for i in items]
        texts = [truncate_words(t, args.truncate) for t in texts]
        analyses = [detector.analyse(t) for t in texts]
        report("tell density (ours)", items, [a.tell_density for a in analyses], SHIPPING_THRESHOLD)
        human = [a for a, i in zip(analyses, items, strict=True) if not i.is_ai]
        any_flag = sum(bool(a.flags) for a in human) / len(human)
        per_100 = 100.0 * sum(len(a.flags) for a in human) / max(sum(a.words for a in human), 1)
        print(f"  {'':22} human with any flag {any_flag:5.1%}  flags per 100 words on human {per_100:.2f}")
        report("unweighted rules", items, [plain.analyse(t).tell_density for t in texts], None)
        if baseline is not None:
            report("proselint (baseline)", items, [baseline(t) for t in texts], None)
    if baseline is None and with_proselint:
        print("proselint is not installed (pip install -e '.[dev]'); its baseline was skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
