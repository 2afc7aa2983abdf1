"""AI tells: phrasing that makes copy read as machine-written, found by evidence-weighted rules.

Typical use (no Qt anywhere here; the GUI calls the same functions):

    rules = load_rule_set("en").with_allowed(Allowances.of(phrases=brand_allowed_phrases))
    detector = Detector(rules)                 # compile once, reuse; safe across threads
    detector.flags_for_block(block_text)       # per QTextBlock, offsets within the block
    detector.analyse(email_text).tell_density  # whole email: flags per 100 words, severity-weighted
    readability(email_text, "en", target_grade=8)

Rule packs live in resources/tells/<lang>.yaml and the user's data folder (tells/*.yaml).
"""

from seqstudio.core.tells.detector import SHIPPING_THRESHOLD, Analysis, Detector, Flag, tell_density
from seqstudio.core.tells.readability import Readability, readability
from seqstudio.core.tells.report import LintReport, lint_email, lint_parts, sequence_density
from seqstudio.core.tells.rules import Allowances, Rule, RulePackError, RuleSet, load_rule_set, user_rules_dir

__all__ = [
    "SHIPPING_THRESHOLD",
    "Allowances",
    "Analysis",
    "Detector",
    "Flag",
    "LintReport",
    "Readability",
    "Rule",
    "RulePackError",
    "RuleSet",
    "lint_email",
    "lint_parts",
    "load_rule_set",
    "readability",
    "sequence_density",
    "tell_density",
    "user_rules_dir",
]
