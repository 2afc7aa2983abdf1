"""Rule packs: the shipped ones load and every rule flags its own examples; broken packs are
refused with a message naming the file and rule; user packs and allowances layer on top."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from seqstudio.core.tells.detector import Detector
from seqstudio.core.tells.rules import (
    LANGUAGES,
    Allowances,
    RulePackError,
    load_rule_set,
    parse_pack,
    user_rules_dir,
)

SHIPPED = {language: load_rule_set(language, user_dirs=()) for language in LANGUAGES}
SPAN_RULES = [
    (lang, rule) for lang, rules in SHIPPED.items() for rule in rules.rules if not rule.is_document_rule
]
REQUIRED_CATEGORIES = {
    "stock-opener", "stock-closer", "buzzword", "negative-parallelism", "triad", "hedge-filler",
    "false-urgency", "sycophancy", "chatbot-artefact", "markdown-leak", "emoji-dash-density",
    "low-burstiness", "formal-register",
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_pack_covers_every_category_of_the_issue(language: str) -> None:
    rules = SHIPPED[language].rules
    assert {r.category for r in rules} >= REQUIRED_CATEGORIES
    assert all(r.id.startswith(f"{language}.") for r in rules)
    assert all(r.why and r.suggestions for r in rules)


@pytest.mark.parametrize(("language", "rule"), SPAN_RULES, ids=[r.id for _, r in SPAN_RULES])
def test_every_rule_flags_its_examples(language: str, rule, en: Detector, de: Detector) -> None:  # type: ignore[no-untyped-def]
    detector = en if language == "en" else de
    assert rule.examples, f"{rule.id} has no examples"
    for example in rule.examples:
        hits = [f for f in detector.flags_for_block(example) if f.rule_id == rule.id]
        assert hits, f"{rule.id} does not flag its example {example!r}"
        assert all(example[f.start : f.end] == f.text for f in hits)


def pack(*rules: dict[str, object], language: str = "en") -> dict[str, object]:
    return {"language": language, "rules": list(rules)}


def rule(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "en.test.rule", "category": "buzzword", "severity": 2, "why": "Because.",
        "suggestions": ["Say it plainly."], "pattern": ["kerfuffle"],
    }  # fmt: skip
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (rule(severity=5), "'severity' must be 1, 2 or 3"),
        (rule(severity=True), "'severity' must be 1, 2 or 3"),
        (rule(why=""), "'why' is missing"),
        (rule(pattern="(unclosed"), "the regex does not compile"),
        (rule(pattern=[]), "'pattern' must be a list of phrases or a regex string"),
        (rule(colour="red"), "unknown field(s) colour"),
        (rule(measure="sentence_length_cv", threshold=0.5), "either 'pattern' or 'measure'"),
        (rule(pattern=None, measure="vibes", threshold=1), "'measure' must be one of"),
        (rule(pattern=None, measure="emoji_per_100_words"), "needs a numeric 'threshold'"),
        (rule(pattern=None, measure="sentence_length_cv", threshold=1, min_count=2), "needs a rate measure"),
        (rule(pattern=None, measure="dash_per_100_words", threshold=1, min_count=-1), "'min_count' must be"),
        (rule(language="de"), "differs from the pack's 'en'"),
        (rule(extend_back_words=9), "'extend_back_words' must be a whole number from 0 to 5"),
    ],
)
def test_a_broken_rule_is_refused_with_its_id(broken: dict[str, object], message: str) -> None:
    with pytest.raises(RulePackError) as raised:
        parse_pack(pack(broken), "my.yaml")
    assert message in raised.value.user_message
    assert "my.yaml" in raised.value.user_message and "en.test.rule" in raised.value.user_message


def test_a_pack_with_a_duplicate_id_or_unknown_language_is_refused() -> None:
    with pytest.raises(RulePackError, match="appears twice"):
        parse_pack(pack(rule(), rule()), "dup.yaml")
    with pytest.raises(RulePackError, match="'language' must be one of"):
        parse_pack(pack(rule(), language="fr"), "fr.yaml")


def write_pack(directory: Path, name: str, data: dict[str, object]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_user_packs_replace_add_and_disable_rules(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mine.yaml",
        pack(
            rule(id="en.mine.kerfuffle"),
            rule(id="en.buzz.adjectives", enabled=False),
            rule(
                id="en.opener.hope-finds-you-well", severity=1, pattern=["I hope this email finds you well"]
            ),
        ),
    )
    write_pack(tmp_path, "german.yaml", pack(rule(id="de.mine.x", language="de"), language="de"))
    detector = Detector(load_rule_set("en", user_dirs=[tmp_path]))
    flags = detector.flags_for_block("I hope this email finds you well. Seamless kerfuffle.")
    assert [(f.rule_id, f.severity) for f in flags] == [
        ("en.opener.hope-finds-you-well", 1),
        ("en.mine.kerfuffle", 2),
    ]
    assert "de.mine.x" not in {r.id for r in detector.rule_set.rules}


def test_user_rules_default_to_the_user_data_folder(private_dirs: Path) -> None:
    write_pack(user_rules_dir(), "mine.yaml", pack(rule(id="en.mine.kerfuffle")))
    assert str(private_dirs) in str(user_rules_dir())
    ids = {r.id for r in load_rule_set("en").rules}
    assert "en.mine.kerfuffle" in ids and "en.buzz.verbs" in ids


def test_a_broken_user_pack_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("language: en\nrules: [\n", encoding="utf-8")
    with pytest.raises(RulePackError, match=r"bad\.yaml is not valid YAML"):
        load_rule_set("en", user_dirs=[tmp_path])


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(RulePackError, match="No rule pack for language 'fr'"):
        load_rule_set("fr", user_dirs=())


def test_allowances_drop_whole_rules_and_single_phrases() -> None:
    text = "Our seamless app will elevate your day. It’s cutting-edge."
    base = load_rule_set("en", user_dirs=())
    before = {(f.rule_id, f.text) for f in Detector(base).flags_for_block(text)}
    assert ("en.buzz.verbs", "elevate") in before and ("en.buzz.adjectives", "seamless") in before

    brand = Allowances.of(phrases=["Cutting-Edge", "  SEAMLESS "])
    after = {(f.rule_id, f.text) for f in Detector(base.with_allowed(brand)).flags_for_block(text)}
    assert after == before - {("en.buzz.adjectives", "seamless"), ("en.buzz.adjectives", "cutting-edge")}

    no_verbs = base.with_allowed(brand).with_allowed(Allowances.of(rule_ids=["en.buzz.verbs"]))
    assert Detector(no_verbs).flags_for_block(text) == []
    assert base.allowances == Allowances()  # with_allowed returns a copy


def test_allowances_can_be_passed_per_call_without_recompiling(en: Detector) -> None:
    text = "Our seamless app will elevate your day. " + " ".join(["Ship it today."] * 9)
    everything = {f.rule_id for f in en.analyse(text).flags}
    assert {"en.buzz.adjectives", "en.buzz.verbs", "en.doc.uniform-sentences"} <= everything
    brand = Allowances.of(rule_ids=["en.doc.uniform-sentences"], phrases=["Seamless"])
    allowed = {f.rule_id for f in en.analyse(text, allow=brand).flags}
    assert allowed == everything - {"en.buzz.adjectives", "en.doc.uniform-sentences"}
    assert {f.rule_id for f in en.flags_for_block(text, Allowances.of(rule_ids=["en.buzz.verbs"]))} == {
        "en.buzz.adjectives"
    }
