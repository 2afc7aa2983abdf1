from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from seqstudio.core.blueprints import BlueprintCatalog, cadence_problems, new_sequence, read_blueprint
from seqstudio.core.errors import FlowFileError
from seqstudio.core.model import Brand, SequenceKind, StepStatus
from seqstudio.core.paths import shipped_dir, user_blueprint_dir
from seqstudio.core.validation import sequence_problems

SHIPPED = ["welcome", "cart_abandonment", "win_back"]


@pytest.mark.parametrize("blueprint_id", SHIPPED)
def test_shipped_blueprints_have_six_steps_and_humane_cadence(blueprint_id: str) -> None:
    blueprint = read_blueprint(shipped_dir("sequences") / f"{blueprint_id}.yaml")
    assert [step.position for step in blueprint.steps] == [1, 2, 3, 4, 5, 6]
    assert all(step.purpose and len(step.guidance) > 80 for step in blueprint.steps)
    assert cadence_problems([step.delay for step in blueprint.steps]) == []
    assert blueprint.exit_conditions, "every flow needs a way out"
    sequence = new_sequence(blueprint, "Test", Brand(name="Acme"))
    assert sequence_problems(sequence) == []
    assert all(step.status is StepStatus.EMPTY for step in sequence.steps)


def test_kind_specific_timing() -> None:
    catalog = BlueprintCatalog().load()
    welcome = new_sequence(catalog["welcome"], "w", Brand(name="A")).step_offsets()
    assert timedelta(days=14) <= welcome[-1] <= timedelta(days=21)
    cart = new_sequence(catalog["cart_abandonment"], "c", Brand(name="A"))
    assert cart.step_offsets()[:3] == [timedelta(hours=1), timedelta(hours=24), timedelta(hours=72)]
    assert any(e.event == "placed_order" for e in cart.exit_conditions)
    win_back = catalog["win_back"]
    assert win_back.trigger.days_since_last_order in (60, 90)
    assert "incentive" in " ".join(s.guidance for s in win_back.steps).lower()
    assert "stop writing" in win_back.steps[-1].purpose.lower()
    custom = new_sequence(win_back, "w", Brand(name="A"), days_since_last_order=60)
    assert custom.trigger.days_since_last_order == 60


def test_cadence_rule_catches_four_emails_in_a_week() -> None:
    assert cadence_problems(["PT0S", "P1D", "P1D", "P1D", "P10D", "P10D"])
    assert cadence_problems(["PT0S", "P3D", "P4D", "P3D", "P4D", "P3D"]) == []


def _write_user_blueprint(text: str, name: str = "mine.yaml") -> Path:
    folder = user_blueprint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_blueprints_sit_beside_and_override_shipped_ones() -> None:
    text = (shipped_dir("sequences") / "welcome.yaml").read_text(encoding="utf-8")
    _write_user_blueprint(
        text.replace("id: welcome", "id: welcome_saas").replace("Welcome series", "SaaS welcome")
    )
    _write_user_blueprint(text.replace("name: Welcome series", "name: Our welcome"), "welcome.yaml")
    catalog = BlueprintCatalog()
    found = catalog.load()
    assert found["welcome_saas"].user_defined and found["welcome_saas"].kind is SequenceKind.WELCOME
    assert found["welcome"].name == "Our welcome" and found["welcome"].user_defined
    assert catalog.problems == []


def test_a_broken_user_blueprint_is_reported_not_fatal() -> None:
    text = (shipped_dir("sequences") / "cart_abandonment.yaml").read_text(encoding="utf-8")
    path = _write_user_blueprint(
        text.replace("id: cart_abandonment", "id: rushed").replace("delay: P6D", "delay: PT2H")
    )
    catalog = BlueprintCatalog()
    found = catalog.load()
    assert "rushed" not in found and "cart_abandonment" in found
    [problem] = catalog.problems
    assert str(path) in problem.user_message and "seven days" in problem.user_message


def test_blueprint_errors_name_file_line_and_field(tmp_path: Path) -> None:
    text = (shipped_dir("sequences") / "welcome.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("delay: P3D", "delay: three days", 1), encoding="utf-8")
    with pytest.raises(FlowFileError) as caught:
        read_blueprint(bad)
    line = next(n for n, row in enumerate(bad.read_text().splitlines(), 1) if "three days" in row)
    assert caught.value.line == line
    assert caught.value.field == "steps[2].delay"
    assert "ISO-8601" in caught.value.user_message
