"""Blueprints: the six-step shape of each kind of sequence, read from YAML files.

The shipped blueprints live in sequences/ (welcome.yaml, cart_abandonment.yaml, win_back.yaml);
a user's own go in the user blueprint folder and override a shipped one with the same id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from seqstudio.core.durations import describe_offset, parse_duration
from seqstudio.core.errors import FlowFileError, NotFoundError
from seqstudio.core.flowfile import check_against_schema
from seqstudio.core.model import (
    Brand,
    Cta,
    Email,
    ExitCondition,
    OfferFacts,
    SendWindow,
    Sequence,
    SequenceKind,
    Step,
    Trigger,
    new_id,
)
from seqstudio.core.paths import shipped_dir, user_blueprint_dir
from seqstudio.core.serialize import exits_from_list, send_window_from_dict, trigger_from_dict
from seqstudio.core.yamldoc import read_yaml

MAX_SENDS_PER_WEEK = 3


@dataclass(frozen=True)
class BlueprintStep:
    position: int
    delay: str
    purpose: str
    guidance: str
    cta_label: str


@dataclass(frozen=True)
class Blueprint:
    id: str
    kind: SequenceKind
    name: str
    description: str
    trigger: Trigger
    entry_filters: tuple[str, ...]
    exit_conditions: tuple[ExitCondition, ...]
    reentry_cooldown: str
    send_window: SendWindow
    steps: tuple[BlueprintStep, ...]
    path: str
    user_defined: bool


def read_blueprint(path: Path, *, user_defined: bool = False) -> Blueprint:
    document = read_yaml(path)
    check_against_schema(document, "blueprint-v1.schema.json", "sequence blueprint")
    data = document.data
    positions = [step["position"] for step in data["steps"]]
    if positions != list(range(1, 7)):
        raise document.error(f"positions are {positions}; number the steps 1 to 6 in order", ["steps"])
    steps = tuple(
        BlueprintStep(
            position=step["position"],
            delay=step["delay"],
            purpose=step["purpose"].strip(),
            guidance=step.get("guidance", "").strip(),
            cta_label=step.get("cta_label", ""),
        )
        for step in data["steps"]
    )
    blueprint = Blueprint(
        id=data["id"],
        kind=SequenceKind(data["kind"]),
        name=data["name"],
        description=" ".join(data.get("description", "").split()),
        trigger=trigger_from_dict(data["trigger"]),
        entry_filters=tuple(data.get("entry_filters") or ()),
        exit_conditions=exits_from_list(data.get("exit_conditions") or []),
        reentry_cooldown=data.get("reentry_cooldown", "P30D"),
        send_window=send_window_from_dict(data.get("send_window") or {}),
        steps=steps,
        path=str(path),
        user_defined=user_defined,
    )
    crowded = cadence_problems([step.delay for step in steps])
    if crowded:
        raise document.error(crowded[0], ["steps"])
    return blueprint


def cadence_problems(delays: list[str]) -> list[str]:
    """Humane cadence: no more than three emails in any seven days. Returns readable problems."""
    offsets: list[timedelta] = []
    total = timedelta(0)
    for delay in delays:
        total += parse_duration(delay)
        offsets.append(total)
    problems = []
    for first in offsets:
        inside = [index for index, at in enumerate(offsets) if first <= at < first + timedelta(days=7)]
        if len(inside) > MAX_SENDS_PER_WEEK:
            steps = ", ".join(str(index + 1) for index in inside)
            problems.append(
                f"steps {steps} all send within seven days of {describe_offset(first)}; "
                f"keep it to {MAX_SENDS_PER_WEEK} emails a week"
            )
            break
    return problems


class BlueprintCatalog:
    """The blueprints on offer: shipped ones, then the user's, which win on a shared id."""

    def __init__(self, folders: list[tuple[Path, bool]] | None = None) -> None:
        self.folders = folders or [(shipped_dir("sequences"), False), (user_blueprint_dir(), True)]
        self.problems: list[FlowFileError] = []  # user files that could not be read, for the UI to show

    def load(self) -> dict[str, Blueprint]:
        found: dict[str, Blueprint] = {}
        self.problems = []
        for folder, user_defined in self.folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yaml")):
                try:
                    blueprint = read_blueprint(path, user_defined=user_defined)
                except FlowFileError as error:
                    if not user_defined:
                        raise
                    self.problems.append(error)
                    continue
                found[blueprint.id] = blueprint
        return found

    def get(self, blueprint_id: str) -> Blueprint:
        blueprints = self.load()
        if blueprint_id not in blueprints:
            known = ", ".join(sorted(blueprints))
            raise NotFoundError(f"No blueprint '{blueprint_id}'. Known blueprints: {known}.")
        return blueprints[blueprint_id]


def new_sequence(
    blueprint: Blueprint,
    name: str,
    brand: Brand,
    offer: OfferFacts | None = None,
    *,
    language: str | None = None,
    days_since_last_order: int | None = None,
) -> Sequence:
    """A fresh sequence laid out from `blueprint`: six empty emails with timing, purpose and CTA."""
    trigger = blueprint.trigger
    if days_since_last_order is not None:
        trigger = replace(trigger, days_since_last_order=days_since_last_order)
    steps = tuple(
        Step(
            id=new_id("st"),
            position=spec.position,
            delay=spec.delay,
            purpose=spec.purpose,
            guidance=spec.guidance,
            email=Email(cta=Cta(label=spec.cta_label)),
        )
        for spec in blueprint.steps
    )
    return Sequence(
        id=new_id("seq"),
        kind=blueprint.kind,
        name=name,
        language=language or brand.language,
        brand=brand,
        offer=offer or OfferFacts(),
        trigger=trigger,
        entry_filters=blueprint.entry_filters,
        exit_conditions=blueprint.exit_conditions,
        reentry_cooldown=blueprint.reentry_cooldown,
        send_window=blueprint.send_window,
        steps=steps,
        blueprint=blueprint.id,
    )
