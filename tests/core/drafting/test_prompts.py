"""Prompt templates render with the step, brand, offer and language; a user's copy overrides the
shipped one; a broken template names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqstudio.core.drafting.context import step_context
from seqstudio.core.drafting.errors import PromptTemplateError
from seqstudio.core.drafting.prompts import TEMPLATES, PromptLibrary
from seqstudio.core.paths import shipped_dir
from tests.core.drafting.conftest import make_sequence


def library(user_dir: Path) -> PromptLibrary:
    return PromptLibrary([user_dir, shipped_dir("prompts")])


def test_every_shipped_template_renders(tmp_path: Path) -> None:
    sequence = make_sequence()
    context = {
        **step_context(sequence, 3),
        "steps": sequence.steps,
        "count": 5,
        "passage": "p",
        "reason": "r",
    }
    for name in TEMPLATES:
        text = library(tmp_path).render(name, context)
        assert text and "{{" not in text and "{%" not in text


def test_the_step_prompt_carries_purpose_voice_facts_and_neighbours(tmp_path: Path) -> None:
    sequence = make_sequence()
    context = step_context(sequence, 3)
    system = library(tmp_path).render("system", context)
    step = library(tmp_path).render("step", context)
    assert "Plain, outdoorsy, a little dry." in system
    assert "Never use these words or phrases: unlock, journey." in system
    assert "We make shoes for the long way round." in system
    assert "Write in English." in system
    assert "The job of this email: Show the bestseller" in step
    assert "- Email 2: Tell the story behind the brand" in step
    assert "- Email 4: Share what customers say in reviews" in step
    assert "Discount code WELCOME15 gives 15% off your first order; expires 2026-12-31" in step
    assert "When it is sent: 2 days after email 2." in step
    assert "new subscribers who hike on weekends" in step


def test_german_sequences_ask_for_german(tmp_path: Path) -> None:
    system = library(tmp_path).render("system", step_context(make_sequence("de"), 1))
    assert "Write in German." in system and "Sie" in system


def test_a_users_copy_overrides_the_shipped_template(tmp_path: Path) -> None:
    (tmp_path / "step.j2").write_text("Custom prompt for {{ brand.name }}, email {{ step.position }}.")
    prompts = library(tmp_path)
    assert prompts.path_of("step") == tmp_path / "step.j2"
    assert prompts.render("step", step_context(make_sequence(), 2)) == "Custom prompt for Trailhead, email 2."
    assert prompts.path_of("system") == shipped_dir("prompts") / "system.j2"


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "step.j2").write_text("Line one\nLine two\n{% if step.position %}\nnever closed\n")
    with pytest.raises(PromptTemplateError) as caught:
        library(tmp_path).render("step", step_context(make_sequence(), 1))
    assert caught.value.path == str(tmp_path / "step.j2")
    assert caught.value.line == 4
    assert f"{tmp_path / 'step.j2'}, line 4" in caught.value.user_message


def test_an_unknown_name_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "system.j2").write_text("You write for {{ brand.name }}.\n\nVoice: {{ brand.voise_notes }}\n")
    with pytest.raises(PromptTemplateError) as caught:
        library(tmp_path).render("system", step_context(make_sequence(), 1))
    assert caught.value.line == 3
    assert "voise_notes" in caught.value.user_message


def test_the_sandbox_refuses_unsafe_attributes(tmp_path: Path) -> None:
    (tmp_path / "step.j2").write_text("{{ step.__class__.__init__.__globals__ }}\n")
    with pytest.raises(PromptTemplateError) as caught:
        library(tmp_path).render("step", step_context(make_sequence(), 1))
    assert caught.value.line == 1


def test_a_missing_template_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(PromptTemplateError) as caught:
        PromptLibrary([tmp_path]).render("plan", {})
    assert "plan.j2" in caught.value.user_message and str(tmp_path) in caught.value.user_message
