"""The matcher: offsets, case and apostrophes, word boundaries, blocks vs whole documents, nested
flags, tell density and the document-level rules."""

from __future__ import annotations

import pytest

from seqstudio.core.tells.detector import DENSITY_MIN_WORDS, SHIPPING_THRESHOLD, Detector, tell_density

# Written for these tests: a draft full of tells, and a plain note a person would send.
MACHINE = """Certainly! Here's a draft of the email you asked for.

In today's fast-paced world, your mornings deserve more. Our seamless subscription is not just a
delivery, but a ritual. Unlock the full potential of every cup and elevate your routine.

It's worth noting that our beans are meticulously sourced. Moreover, our app is fast, reliable, and
intuitive. Don't miss out: act now!

Don't hesitate to reach out with any questions.

Best regards,
[Your Name]"""

PLAIN = """Hi Sam,

Your first bag left the roastery this morning. It should reach you by Thursday; the tracking link is
in the receipt we sent on Monday.

Brew it within three weeks of the roast date on the label. After that it still tastes fine, just
flatter. If anything arrives damaged, reply to this email with a photo and we will send a new bag.

Ines"""


def spans(detector: Detector, text: str) -> list[tuple[str, str]]:
    return [(f.rule_id, f.text) for f in detector.flags_for_block(text)]


def test_flags_point_at_their_text(en: Detector) -> None:
    flags = en.analyse(MACHINE).flags
    span_flags = [f for f in flags if f.scope == "span"]
    assert len(span_flags) >= 12
    for flag in span_flags:
        assert MACHINE[flag.start : flag.end] == flag.text
        assert flag.severity in (1, 2, 3) and flag.why and flag.suggestion
    assert [f.start for f in span_flags] == sorted(f.start for f in span_flags)


def test_a_plain_human_note_has_no_flags(en: Detector) -> None:
    analysis = en.analyse(PLAIN)
    assert analysis.flags == ()
    assert analysis.tell_density == 0.0 and not analysis.flagged


def test_the_draft_reads_machine_written(en: Detector) -> None:
    analysis = en.analyse(MACHINE)
    assert analysis.flagged and analysis.tell_density > 5 * SHIPPING_THRESHOLD


def test_whole_document_flags_are_the_paragraph_flags(en: Detector) -> None:
    expected = []
    position = 0
    for paragraph in MACHINE.split("\n\n"):
        expected += [f.shifted(position) for f in en.flags_for_block(paragraph)]
        position += len(paragraph) + 2
    assert en.flags_for_block(MACHINE) == expected


def test_case_apostrophes_wrapped_lines_and_runs_of_spaces(en: Detector) -> None:
    wanted = ("en.opener.hope-finds-you-well", "I HOPE this email finds you well")
    assert spans(en, "I HOPE this email finds you well.") == [wanted]
    assert spans(en, "It’s worth noting that.") == [("en.filler.worth-noting", "It’s worth noting")]
    assert spans(en, "I hope this\nemail finds you well") == [
        ("en.opener.hope-finds-you-well", "I hope this\nemail finds you well")
    ]
    assert spans(en, "I  hope this email   finds you well") == [
        ("en.opener.hope-finds-you-well", "I  hope this email   finds you well")
    ]
    assert spans(en, "I hope this\n\nemail finds you well") == []  # never across a blank line
    assert spans(en, "I\u2028hope this email finds you well") == [  # a soft break in a Qt block
        ("en.opener.hope-finds-you-well", "I\u2028hope this email finds you well")
    ]
    assert spans(en, "It’s\u00a0worth noting that.") == [("en.filler.worth-noting", "It’s\u00a0worth noting")]
    assert spans(en, "A cutting edge tool") == [("en.buzz.adjectives", "cutting edge")]


def test_words_match_whole(en: Detector) -> None:
    assert spans(en, "We unlocked the door and unlockable doors") == []
    assert spans(en, "Seamlessness; seamless.") == [("en.buzz.adjectives", "seamless")]
    assert spans(en, "reunlock") == []


def test_a_passage_inside_a_stronger_flag_counts_once(en: Detector) -> None:
    assert spans(en, "Unlock the full potential of your team.") == [
        ("en.buzz.power-of", "Unlock the full potential")
    ]


def test_chatbot_openers_only_at_the_start_of_a_line(en: Detector) -> None:
    assert spans(en, "Certainly! Here it is.") == [("en.artefact.certainly", "Certainly!")]
    assert spans(en, "We will certainly! reply") == []


def test_empty_and_blank_blocks(en: Detector) -> None:
    assert en.flags_for_block("") == [] and en.flags_for_block("  \n ") == []
    assert en.analyse("").tell_density == 0.0


def test_density_is_severity_per_100_words_with_a_floor(en: Detector) -> None:
    one = en.analyse("Seamless.")
    assert [f.severity for f in one.flags] == [3]
    assert one.tell_density == pytest.approx(100 * 3 / DENSITY_MIN_WORDS)
    varied = "We roast on Tuesdays. Then we pack every bag by hand and ship it the next morning to you. "
    analysis = en.analyse("Seamless. " + varied * 10)
    assert analysis.words == 1 + 19 * 10
    assert [f.severity for f in analysis.flags] == [3]
    assert analysis.tell_density == pytest.approx(100 * 3 / analysis.words)
    assert tell_density(analysis.flags, analysis.words) == analysis.tell_density


def document_rules(detector: Detector, text: str) -> set[str]:
    return {f.rule_id for f in detector.analyse(text).flags if f.scope == "document"}


def test_uniform_sentence_lengths_are_flagged_and_varied_ones_not(en: Detector) -> None:
    uniform = " ".join(f"Our team ships order number {n} today." for n in range(10))
    varied = (
        "Thanks. Your order shipped today from our small roastery in the north of the city. "
        "It takes two days. We packed it by hand, sealed the bag with a valve so the beans can breathe "
        "on the way, and slipped a card with brewing notes inside. Enjoy. Tell us how it tastes. "
        "If something is off, write back and we will make it right the same week. Cheers."
    )
    assert "en.doc.uniform-sentences" in document_rules(en, uniform)
    assert "en.doc.uniform-sentences" not in document_rules(en, varied)
    assert "en.doc.uniform-sentences" not in document_rules(en, "Short. Note.")  # too few sentences


def test_emoji_and_dash_density(en: Detector) -> None:
    words = "We roast coffee on Tuesdays and ship it the next day to your door "
    sprinkled = " ".join(f"{words}☕🚀" for _ in range(8))
    signed = words * 6 + "\nThe team 💌"
    dashed = " ".join(f"{words}— and more" for _ in range(6))
    ranges = " ".join(f"{words} open 9–5" for _ in range(6))
    assert "en.doc.emoji-density" in document_rules(en, sprinkled)
    assert "en.doc.emoji-density" not in document_rules(en, signed)
    assert "en.doc.dash-density" in document_rules(en, dashed)
    assert "en.doc.dash-density" not in document_rules(en, ranges)


def test_one_dash_is_no_habit(en: Detector) -> None:
    words = "We roast coffee on Tuesdays and ship it the next day to your door "
    one = words * 5 + "— and more."
    assert "en.doc.dash-density" not in document_rules(en, one)  # 1 per 76 words, over the rate
    assert "en.doc.dash-density" in document_rules(en, f"{one} {words}— and more.")


def test_a_german_gedankenstrich_is_punctuation_not_a_tell(de: Detector) -> None:
    words = "Wir rösten den Kaffee dienstags und schicken ihn am nächsten Tag an Ihre Tür "
    spaced = " ".join(f"{words}– und mehr." for _ in range(4))
    assert "de.doc.dash-density" not in document_rules(de, spaced)
    assert "de.doc.dash-density" in document_rules(de, spaced.replace(" – ", "—"))


def test_document_flags_span_the_text_and_count_in_density(en: Detector) -> None:
    text = " ".join(f"Our team ships order number {n} today." for n in range(10))
    analysis = en.analyse(text)
    (flag,) = [f for f in analysis.flags if f.scope == "document"]
    assert (flag.start, flag.end, flag.text) == (0, len(text), "")
    assert analysis.tell_density == pytest.approx(
        100 * sum(f.severity for f in analysis.flags) / analysis.words
    )
    assert analysis.measures["sentences"] == 10


def test_german_rules(de: Detector) -> None:
    text = "Gerne! In der heutigen schnelllebigen Welt ist unsere nahtlose Lösung nicht nur schnell, sondern auch"
    assert [f.rule_id for f in de.flags_for_block(text)] == [
        "de.artefact.certainly",
        "de.opener.scene-setting",
        "de.buzz.adjectives",
        "de.structure.not-only-but",
    ]
    assert de.language == "de"


def test_a_german_triad_needs_three_describing_words(de: Detector) -> None:
    flagged = de.flags_for_block("Die App ist schnell, zuverlässig und intuitiv.")
    assert [(f.rule_id, f.text) for f in flagged] == [
        ("de.structure.adjective-triad", "schnell, zuverlässig und intuitiv")
    ]
    # A quoted name and two adjectives (the shipped win-back example's roast) is not a triad
    assert de.flags_for_block('Eine neue Röstung: "Kastanie", dunkel und nussig.') == []


def test_german_essay_words_count_in_an_essay_not_in_a_shop_mail(de: Detector) -> None:
    essay = (
        "Diese Reflexion hilft, die eigene Haltung zu hinterfragen und ein tieferes Verständnis zu gewinnen."
    )
    assert [f.rule_id for f in de.flags_for_block(essay)] == ["de.buzz.essay-words"] * 3
    mail = "Ihre Bestellung ist unterwegs. Das Paket kommt am Donnerstag, die Sendungsnummer steht unten."
    assert de.flags_for_block(mail) == []


def test_german_numbered_labels_are_flagged_but_plain_steps_are_not(de: Detector) -> None:
    answer = "1. Übersicht: Sie sehen alle Termine.\n2. Ruhe: Nichts lenkt Sie ab."
    assert [f.rule_id for f in de.flags_for_block(answer)] == ["de.structure.numbered-labels"] * 2
    steps = "1. Öffnen Sie die App.\n2. Tippen Sie auf Konto und dann auf Adresse."
    assert de.flags_for_block(steps) == []


def test_german_business_closers_are_not_flagged(de: Detector) -> None:
    # Everyday formulas of German service mail: they fired on human shop mail, never on the AI side
    text = "Für Rückfragen stehen wir Ihnen jederzeit zur Verfügung. Zögern Sie nicht, uns anzurufen."
    assert de.flags_for_block(text) == []


def test_german_service_mail_phrases_stay_quiet(de: Detector) -> None:
    # "Verständnis" and "ist es wichtig" in their everyday service-mail forms, not the essay forms
    text = "Vielen Dank für Ihr Verständnis. Für die Prüfung ist es wichtig für uns, alle Belege zu haben."
    assert de.flags_for_block(text) == []
    essay = "So gewinnen Sie ein tieferes Verständnis der Lage. Dabei ist es wichtig, ruhig zu bleiben."
    assert [f.rule_id for f in de.flags_for_block(essay)] == ["de.buzz.essay-words", "de.filler.importance"]
