from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from seqstudio.core.drafting.apply import plan_draft
from seqstudio.core.drafting.settings import OutputMode, ProviderSettings
from seqstudio.core.model import Sequence, StepStatus
from seqstudio.core.preferences import (
    Preferences,
    TellPreferences,
    load_preferences,
    preferences_path,
    save_preferences,
)


def test_preferences_round_trip_in_the_user_config_folder() -> None:
    chosen = Preferences(
        provider=ProviderSettings(
            base_url="http://127.0.0.1:11434/v1",
            model="llama3.1",
            temperature=0.4,
            output_mode=OutputMode.JSON_OBJECT,
        ),
        tells=TellPreferences(target_grade=6.5, long_sentence_words=20),
    )
    save_preferences(chosen)
    assert preferences_path().is_file()
    loaded = load_preferences()
    assert loaded.preferences == chosen and loaded.problem == ""
    assert "key" not in preferences_path().read_text().lower().replace("max_output_tokens", "")


def test_missing_file_gives_defaults() -> None:
    assert load_preferences().preferences == Preferences()


def test_an_unreadable_file_is_kept_aside_and_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text("{ not json")
    loaded = load_preferences(path)
    assert loaded.preferences == Preferences()
    assert "could not be read" in loaded.problem
    assert not path.exists() and (tmp_path / "preferences.json.unreadable").read_text() == "{ not json"


def test_unknown_keys_from_newer_versions_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({"provider": {"model": "gpt-4.1-mini", "from_the_future": 1}, "other": {}}))
    assert load_preferences(path).preferences.provider.model == "gpt-4.1-mini"


def test_drafting_never_plans_over_a_persons_words(welcome: Sequence) -> None:
    steps = list(welcome.steps)
    steps[1] = replace(steps[1], status=StepStatus.REVISED)
    steps[4] = replace(steps[4], status=StepStatus.APPROVED)
    steps[2] = replace(steps[2], status=StepStatus.DRAFTED)
    sequence = replace(welcome, steps=tuple(steps))
    plan = plan_draft(sequence)
    assert (plan.positions, plan.protected) == ((1, 3, 4, 6), (2, 5))
    assert plan_draft(sequence, [2, 3], overwrite=True).positions == (2, 3)
    assert plan_draft(sequence, [5]).positions == ()


def test_files_without_tell_preferences_get_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({"provider": {"model": "gpt-4.1-mini"}}))
    assert load_preferences(path).preferences.tells == TellPreferences()
    path.write_text(json.dumps({"tells": {"target_grade": 7}}))
    assert load_preferences(path).preferences.tells.target_grade == 7.0
