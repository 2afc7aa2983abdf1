"""The flags panel on its own, fed a review computed by the real detector."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from seqstudio.core.model import Sequence
from seqstudio.core.preferences import TellPreferences
from seqstudio.core.tells import Allowances, Detector, load_rule_set
from seqstudio.gui.tells.flags_panel import FlagsPanel
from seqstudio.gui.tells.review import review_sequence
from seqstudio.gui.tells.rewrite import RewriteProposal
from tests.gui.tells.conftest import OPENER, OPENER_RULE, with_bodies

LONG = " ".join(["we roast the beans slowly and carefully"] * 5) + "."


def test_panel_lists_flags_long_sentences_and_offers_only_sensible_actions(
    qtbot: QtBot, welcome: Sequence
) -> None:
    sequence = with_bodies(welcome, {1: f"{OPENER}.\n{LONG}"})
    detector = Detector(load_rule_set("en", user_dirs=()))
    review = review_sequence(
        sequence, detector, {}, TellPreferences(target_grade=6.0, long_sentence_words=20)
    )
    panel = FlagsPanel()
    qtbot.addWidget(panel)
    panel.show_review(review.email(1), review)

    [ref] = [r for r in panel.entries() if r.flag.rule_id == OPENER_RULE]
    assert panel.flags.topLevelItemCount() == len(panel.entries()) + 1, "plus the long sentence"
    assert "Sentence of 35 words" in panel.flags.topLevelItem(panel.flags.topLevelItemCount() - 1).text(0)
    assert "above the target 6" in panel.summary.text()
    assert not panel.ignore_button.isEnabled(), "nothing selected, nothing to ignore"
    panel.select(ref)
    assert panel.ignore_button.isEnabled() and panel.allow_phrase_button.isEnabled()
    assert ref.flag.why in panel.detail.text()
    panel.set_rewrite_blocker("Rewriting a passage needs a model.")
    assert not panel.rewrite_button.isEnabled()
    panel.set_rewrite_blocker("")
    assert panel.rewrite_button.isEnabled()
    with qtbot.waitSignal(panel.ignore_requested) as asked:
        panel.ignore_button.click()
    assert asked.args == [ref]

    allowed = review_sequence(
        sequence, detector, {ref.step_id: Allowances.of(phrases=[OPENER])}, TellPreferences()
    )
    panel.show_review(allowed.email(1), allowed)
    assert not [r for r in panel.entries() if r.flag.rule_id == OPENER_RULE]
    assert panel.selected() is None


def test_a_proposal_applies_only_where_the_passage_still_is(welcome: Sequence) -> None:
    sequence = with_bodies(welcome, {1: f"Hi,\n{OPENER}. More."})
    detector = Detector(load_rule_set("en", user_dirs=()))
    review = review_sequence(sequence, detector, {}, TellPreferences())
    email = review.email(1)
    assert email is not None
    [ref] = [r for r in email.flags if r.flag.rule_id == OPENER_RULE]
    proposal = RewriteProposal(ref, "Hello", "test-model")
    assert proposal.applied_to(f"Hi,\n{OPENER}. More.") == "Hi,\nHello. More."
    assert proposal.applied_to(f"Hi there, Sam,\n{OPENER}. More.") == "Hi there, Sam,\nHello. More.", "moved"
    assert proposal.applied_to("Hi,\nI hope this note finds you well. More.") is None, "changed"
    assert proposal.applied_to(f"{OPENER}. {OPENER}.") is None, "ambiguous"
