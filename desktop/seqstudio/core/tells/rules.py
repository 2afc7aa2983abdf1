"""Rule packs: the human-editable YAML files that say which phrasing reads as machine-written.

A pack (resources/tells/<lang>.yaml, or a user's own in user_data_dir()/tells/*.yaml) holds
`language` and `rules`; each rule has an id, category, severity (1-3), why, suggestions and
either a `pattern` (a list of phrases, or one regex as a string) or, for document-level rules, a
`measure` with a `threshold`. Loading validates everything and raises RulePackError naming the
file and rule, so a typo never silently disables a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from seqstudio.core.errors import StudioError
from seqstudio.core.paths import resource_path, user_data_dir
from seqstudio.core.tells.sentences import RATE_COUNTS
from seqstudio.core.yamldoc import SAFE_LOADER

LANGUAGES = ("en", "de")
SEVERITIES = (1, 2, 3)
# Document-level measures the detector knows how to compute (see sentences.document_measures).
MEASURES = ("sentence_length_cv", *RATE_COUNTS)


class RulePackError(StudioError):
    """A rule pack could not be read or has a rule the detector cannot use."""


@dataclass(frozen=True)
class Rule:
    """One rule. Exactly one of `phrases`, `regex` or `measure` is set.

    `phrases` are matched case-insensitively on word boundaries; a word ending in `*` matches any
    word starting with what precedes it. `requires` lists words (or literal fragments) of which at
    least one must occur in a block before the regex is tried; it only saves time.
    """

    id: str
    category: str
    severity: int
    why: str
    language: str
    suggestions: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    regex: str = ""
    case_sensitive: bool = False
    requires: tuple[str, ...] = ()
    extend_back_words: int = 0  # the flag also covers this many words before the match
    measure: str = ""
    threshold: float = 0.0
    below: bool = False  # document rule fires when the measure is below the threshold
    min_sentences: int = 0
    min_words: int = 0
    min_count: int = 0  # a rate rule fires only on this many of what it counts (one dash is no habit)
    evidence: str = ""
    examples: tuple[str, ...] = ()  # text the rule must flag; documentation and a test in one
    enabled: bool = True

    @property
    def is_document_rule(self) -> bool:
        return bool(self.measure)


@dataclass(frozen=True)
class Allowances:
    """What a brand or user has allowed: whole rules by id, and phrases (compared casefolded).

    A plain value: the GUI keeps it in the library DB and passes it in; nothing here persists it.
    """

    rule_ids: frozenset[str] = frozenset()
    phrases: frozenset[str] = frozenset()

    @staticmethod
    def of(rule_ids: Iterable[str] = (), phrases: Iterable[str] = ()) -> Allowances:
        return Allowances(frozenset(rule_ids), frozenset(_norm_phrase(p) for p in phrases))

    def merged(self, other: Allowances) -> Allowances:
        return Allowances(self.rule_ids | other.rule_ids, self.phrases | other.phrases)

    def allows_text(self, text: str) -> bool:
        return _norm_phrase(text) in self.phrases


def _norm_phrase(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


@dataclass(frozen=True)
class RuleSet:
    """The rules for one language after layering user packs and allowances; build a Detector from it."""

    language: str
    rules: tuple[Rule, ...]
    allowances: Allowances = field(default_factory=Allowances)
    sources: tuple[str, ...] = ()

    def active_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled and r.id not in self.allowances.rule_ids)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def with_allowed(self, allowances: Allowances) -> RuleSet:
        """A copy that also allows these rules and phrases (brand allow-list, user's "ignore")."""
        return replace(self, allowances=self.allowances.merged(allowances))

    def with_rules(self, rules: Iterable[Rule], source: str = "") -> RuleSet:
        """A copy where `rules` replace rules of the same id and are appended otherwise."""
        by_id = {r.id: r for r in self.rules}
        for r in rules:
            if r.language != self.language:
                continue
            by_id[r.id] = r
        return replace(
            self, rules=tuple(by_id.values()), sources=(*self.sources, source) if source else self.sources
        )


def parse_pack(data: Any, source: str) -> tuple[str, tuple[Rule, ...]]:
    """Validate a loaded YAML pack; return (language, rules). Raises RulePackError."""
    if not isinstance(data, Mapping):
        raise RulePackError(f"{source}: a rule pack must be a mapping with 'language' and 'rules'.")
    language = data.get("language")
    if language not in LANGUAGES:
        raise RulePackError(f"{source}: 'language' must be one of {', '.join(LANGUAGES)}, not {language!r}.")
    entries = data.get("rules")
    if not isinstance(entries, list):
        raise RulePackError(f"{source}: 'rules' must be a list.")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        rule = _parse_rule(entry, str(language), f"{source}, rule {index + 1}")
        if rule.id in seen:
            raise RulePackError(f"{source}: rule id {rule.id!r} appears twice.")
        seen.add(rule.id)
        rules.append(rule)
    return str(language), tuple(rules)


def _parse_rule(entry: Any, pack_language: str, where: str) -> Rule:
    if not isinstance(entry, Mapping):
        raise RulePackError(f"{where}: each rule must be a mapping.")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RulePackError(f"{where}: 'id' is missing.")
    where = f"{where} ({rule_id})"
    known = {
        "id", "category", "severity", "why", "suggestions", "language", "pattern", "case_sensitive",
        "requires", "extend_back_words", "measure", "threshold", "below", "min_sentences", "min_words",
        "min_count", "evidence", "examples", "enabled",
    }  # fmt: skip
    unknown = sorted(set(entry) - known)
    if unknown:
        raise RulePackError(f"{where}: unknown field(s) {', '.join(unknown)}.")
    language = entry.get("language", pack_language)
    if language != pack_language:
        raise RulePackError(f"{where}: language {language!r} differs from the pack's {pack_language!r}.")
    severity = entry.get("severity")
    if severity not in SEVERITIES or isinstance(severity, bool):
        raise RulePackError(f"{where}: 'severity' must be 1, 2 or 3.")
    category = _text(entry, "category", where)
    why = _text(entry, "why", where)
    suggestions = _str_list(entry.get("suggestions", []), "suggestions", where)
    requires = _str_list(entry.get("requires", []), "requires", where)
    pattern = entry.get("pattern")
    measure = entry.get("measure", "")
    base = Rule(
        id=rule_id,
        category=category,
        severity=int(severity),
        why=why,
        language=str(language),
        suggestions=suggestions,
        case_sensitive=bool(entry.get("case_sensitive", False)),
        requires=tuple(r.lower() for r in requires),
        extend_back_words=_count(entry.get("extend_back_words", 0), "extend_back_words", where),
        evidence=str(entry.get("evidence", "")),
        examples=_str_list(entry.get("examples", []), "examples", where),
        enabled=bool(entry.get("enabled", True)),
    )
    if measure:
        if pattern is not None:
            raise RulePackError(f"{where}: give either 'pattern' or 'measure', not both.")
        if measure not in MEASURES:
            raise RulePackError(f"{where}: 'measure' must be one of {', '.join(MEASURES)}.")
        threshold = entry.get("threshold")
        if not isinstance(threshold, int | float) or isinstance(threshold, bool):
            raise RulePackError(f"{where}: a document rule needs a numeric 'threshold'.")
        return replace(
            base,
            measure=str(measure),
            threshold=float(threshold),
            below=bool(entry.get("below", False)),
            min_sentences=int(entry.get("min_sentences", 0)),
            min_words=int(entry.get("min_words", 0)),
            min_count=_min_count(entry, str(measure), where),
        )
    if isinstance(pattern, str) and pattern:
        try:
            re.compile(pattern)
        except re.error as error:
            raise RulePackError(f"{where}: the regex does not compile: {error}.") from error
        return replace(base, regex=pattern)
    if isinstance(pattern, list) and pattern:
        phrases = _str_list(pattern, "pattern", where)
        if any(not p.strip() for p in phrases):
            raise RulePackError(f"{where}: 'pattern' has an empty phrase.")
        return replace(base, phrases=phrases)
    raise RulePackError(f"{where}: 'pattern' must be a list of phrases or a regex string.")


def _count(value: Any, key: str, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5:
        raise RulePackError(f"{where}: '{key}' must be a whole number from 0 to 5.")
    return value


def _min_count(entry: Mapping[str, Any], measure: str, where: str) -> int:
    value = entry.get("min_count", 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RulePackError(f"{where}: 'min_count' must be a whole number, 0 or more.")
    if value and measure not in RATE_COUNTS:
        raise RulePackError(f"{where}: 'min_count' needs a rate measure ({', '.join(RATE_COUNTS)}).")
    return value


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RulePackError(f"{where}: '{key}' is missing.")
    return value.strip()


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulePackError(f"{where}: '{key}' must be a list of strings.")
    return tuple(value)


def load_pack(path: Path) -> tuple[str, tuple[Rule, ...]]:
    """Read and validate one pack file."""
    try:
        data = yaml.load(
            path.read_text(encoding="utf-8"), Loader=SAFE_LOADER
        )  # SAFE_LOADER: safe_load, faster
    except OSError as error:
        raise RulePackError(f"Cannot read the rule pack {path}: {error.strerror}.", str(error)) from error
    except yaml.YAMLError as error:
        raise RulePackError(f"{path} is not valid YAML: {error}", str(error)) from error
    return parse_pack(data, str(path))


def shipped_pack_path(language: str) -> Path:
    return resource_path("tells", f"{language}.yaml")


def user_rules_dir() -> Path:
    """Where a user's own packs go; each *.yaml there layers over the shipped pack of its language."""
    return user_data_dir() / "tells"


def load_rule_set(language: str, *, user_dirs: Iterable[Path] | None = None) -> RuleSet:
    """The shipped pack for `language`, then every user pack of that language, in file-name order.

    A user rule with the id of a shipped rule replaces it (set `enabled: false` to switch one off).
    `user_dirs=None` means the user data directory; pass `()` to load the shipped pack only.
    """
    if language not in LANGUAGES:
        raise RulePackError(f"No rule pack for language {language!r}; choose one of {', '.join(LANGUAGES)}.")
    path = shipped_pack_path(language)
    _, rules = load_pack(path)
    rule_set = RuleSet(language=language, rules=rules, sources=(str(path),))
    for directory in [user_rules_dir()] if user_dirs is None else user_dirs:
        if not directory.is_dir():
            continue
        for pack in sorted(directory.glob("*.yaml")):
            pack_language, user_rules = load_pack(pack)
            if pack_language == language:
                rule_set = rule_set.with_rules(user_rules, source=str(pack))
    return rule_set
