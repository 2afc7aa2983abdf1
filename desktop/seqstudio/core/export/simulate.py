"""Run a sequence's BPMN in SpiffWorkflow for sample contacts, on a simulated clock.

Each contact gets its own workflow instance and clock, starting at its trigger time. The engine
runs until every path waits on a timer, the clock jumps to the earliest timer, and so on until the
workflow ends: exits, holdout and the send window are decided by the BPMN's own gateways.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.parser.event_parsers import IntermediateCatchEventParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.defaults import IntermediateCatchEvent, ServiceTask
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from seqstudio.core.cancel import CancelToken, ProgressFn, no_progress
from seqstudio.core.durations import DurationError, parse_duration
from seqstudio.core.errors import StudioError
from seqstudio.core.export.bpmn import end_id_for_exit, sequence_to_bpmn
from seqstudio.core.model import WEEKDAYS, SendWindow, Sequence, Step

CSV_HEADER = ("email", "first_name", "order_after")
MAX_ROUNDS = 500  # a six-step flow needs about 20; more means the diagram loops


@dataclass(frozen=True)
class Contact:
    email: str
    first_name: str = ""
    order_after: timedelta | None = None  # when they order, counted from the trigger; None: never
    timezone: str = "UTC"  # optional column; the send window is in the contact's local time


@dataclass(frozen=True)
class TimelineEntry:
    email: str
    step: int
    at: datetime | None  # when it was sent, or when it was skipped (None: never reached)
    sent: bool
    reason: str  # "" for an on-time send; else why skipped or moved

    def to_json(self) -> dict[str, Any]:
        at = self.at.isoformat().replace("+00:00", "Z") if self.at else None
        return {"email": self.email, "step": self.step, "at": at, "sent": self.sent, "reason": self.reason}


DeliverFn = Callable[[Contact, Step, datetime], None]


def read_contacts(path: Path) -> list[Contact]:
    """Read CONTACTS.csv (email,first_name,order_after[,timezone]); errors name the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise StudioError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_contacts(text, str(path))


def parse_contacts(text: str, where: str = "contacts") -> list[Contact]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ())[:3] != CSV_HEADER:
        raise StudioError(f"{where}, line 1: the header must start with {','.join(CSV_HEADER)}")
    contacts = []
    for row in reader:
        line = reader.line_num
        email = (row.get("email") or "").strip()
        if "@" not in email:
            raise StudioError(f"{where}, line {line}: email {email!r} is not an email address")
        order_text = (row.get("order_after") or "").strip()
        try:
            order_after = parse_duration(order_text) if order_text else None
        except DurationError as error:
            raise StudioError(f"{where}, line {line}: order_after {error}") from None
        zone = (row.get("timezone") or "").strip() or "UTC"
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise StudioError(f"{where}, line {line}: timezone {zone!r} is not an IANA name") from None
        contacts.append(Contact(email, (row.get("first_name") or "").strip(), order_after, zone))
    return contacts


def holdout_bucket(email: str, seed: str) -> float:
    """A contact's place in [0, 100): the same for the same seed and address, every run."""
    digest = hashlib.sha256(f"{seed}:{email.strip().lower()}".encode()).hexdigest()
    return int(digest[:12], 16) / float(16**12) * 100


class SimClock:
    def __init__(self, now: datetime) -> None:
        self.now = now


def in_window(window: SendWindow, moment: datetime, zone: str) -> bool:
    local = moment.astimezone(ZoneInfo(zone))
    return WEEKDAYS[local.weekday()] in window.days and window.start_hour <= local.hour < window.end_hour


def next_opening(window: SendWindow, moment: datetime, zone: str) -> datetime:
    """The first moment at or after `moment` inside the window."""
    if in_window(window, moment, zone):
        return moment
    local = moment.astimezone(ZoneInfo(zone))
    for days_ahead in range(8):
        day = (local + timedelta(days=days_ahead)).date()
        opening = datetime(day.year, day.month, day.day, window.start_hour, tzinfo=ZoneInfo(zone))
        if opening >= local and in_window(window, opening, zone):
            return opening.astimezone(UTC)
    raise StudioError("The send window has no open hour; set at least one day and start before end.")


class _Engine(PythonScriptEngine):  # type: ignore[misc]
    """Evaluates the BPMN's expressions against one contact's simulated clock and sends."""

    def __init__(self, clock: SimClock, window: SendWindow, on_send: Callable[[int], None]) -> None:
        self.clock, self.on_send = clock, on_send
        super().__init__(
            environment=TaskDataEnvironment(
                {
                    "holdout_bucket": holdout_bucket,
                    "occurred": lambda events, name: (
                        name in events and datetime.fromisoformat(events[name]) <= clock.now
                    ),
                    "in_send_window": lambda zone: in_window(window, clock.now, zone),
                    "next_window_opening": lambda zone: next_opening(window, clock.now, zone).isoformat(),
                }
            )
        )


def _fire_at(task: Any, due: datetime) -> bool:
    clock: SimClock = task.workflow.script_engine.clock
    if due <= clock.now:
        task._set_internal_data(event_fired=True)
    return bool(task._get_internal_data("event_fired", False))


class _SimDuration(DurationTimerEventDefinition):  # type: ignore[misc]
    """A duration timer on the simulated clock; the expression is a literal ISO-8601 duration."""

    def has_fired(self, my_task: Any) -> bool:
        if my_task._get_internal_data("event_value") is None:
            due = my_task.workflow.script_engine.clock.now + parse_duration(self.expression.strip())
            my_task._set_internal_data(event_value=due.isoformat())
        return _fire_at(my_task, datetime.fromisoformat(my_task._get_internal_data("event_value")))


class _SimDate(TimeDateEventDefinition):  # type: ignore[misc]
    """A date timer on the simulated clock; the expression evaluates to an ISO datetime."""

    def has_fired(self, my_task: Any) -> bool:
        if my_task._get_internal_data("event_value") is None:
            value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            my_task._set_internal_data(event_value=str(value))
        return _fire_at(my_task, datetime.fromisoformat(my_task._get_internal_data("event_value")))


class _CatchParser(IntermediateCatchEventParser):  # type: ignore[misc]
    def parse_timer_event(self, event: Any) -> Any:
        parsed = super().parse_timer_event(event)
        for stock, simulated in (
            (DurationTimerEventDefinition, _SimDuration),
            (TimeDateEventDefinition, _SimDate),
        ):
            if type(parsed) is stock:
                return simulated(parsed.name, parsed.expression, description=parsed.description)
        return parsed


class _SendTask(ServiceTask):  # type: ignore[misc]
    def _run_hook(self, my_task: Any) -> bool:
        my_task.workflow.script_engine.on_send(int(self.bpmn_id.rsplit("_", 1)[1]))
        return True


class _Parser(BpmnParser):  # type: ignore[misc]
    OVERRIDE_PARSER_CLASSES = {  # noqa: RUF012 (SpiffWorkflow's extension point is a class attribute)
        full_tag("intermediateCatchEvent"): (_CatchParser, IntermediateCatchEvent),
        full_tag("serviceTask"): (TaskParser, _SendTask),
    }


def load_spec(xml: str) -> Any:
    """Parse (and XSD-validate) the BPMN into a SpiffWorkflow process spec on the simulated clock."""
    parser = _Parser(validator=BpmnValidator())
    parser.add_bpmn_str(xml.encode("utf-8"), filename="sequence.bpmn")
    return parser.get_spec(parser.get_process_ids()[0])


def simulate(
    sequence: Sequence,
    contacts: list[Contact],
    *,
    start: datetime,
    deliver: DeliverFn | None = None,
    cancel: CancelToken | None = None,
    on_progress: ProgressFn = no_progress,
) -> list[TimelineEntry]:
    """Every contact enters the flow at `start`; returns one entry per contact and step, in
    contact order then step order. `deliver` is called for each send, at its simulated time."""
    spec = load_spec(sequence_to_bpmn(sequence))
    timeline: list[TimelineEntry] = []
    for done, contact in enumerate(contacts):
        if cancel is not None:
            cancel.raise_if_cancelled()
        on_progress(done, len(contacts), f"Simulating {contact.email}")
        timeline.extend(_run_contact(sequence, spec, contact, start, deliver))
    on_progress(len(contacts), len(contacts), "Simulation finished")
    return timeline


def _run_contact(
    sequence: Sequence, spec: Any, contact: Contact, start: datetime, deliver: DeliverFn | None
) -> list[TimelineEntry]:
    clock = SimClock(start)
    sent: dict[int, datetime] = {}

    def on_send(position: int) -> None:
        sent[position] = clock.now
        if deliver is not None:
            deliver(contact, sequence.step(position), clock.now)

    workflow = BpmnWorkflow(spec, script_engine=_Engine(clock, sequence.send_window, on_send))
    events = {}
    if contact.order_after is not None:
        events["placed_order"] = (start + contact.order_after).isoformat()
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(
            email=contact.email,
            first_name=contact.first_name,
            seed=sequence.id,
            holdout_percent=sequence.holdout_percent,
            events=events,
            timezone=contact.timezone,
        )
    for _ in range(MAX_ROUNDS):
        workflow.do_engine_steps()
        if workflow.is_completed():
            break
        workflow.refresh_timers()
        waiting = [
            datetime.fromisoformat(task._get_internal_data("event_value"))
            for task in workflow.get_tasks(state=TaskState.WAITING)
            if task._get_internal_data("event_value")
        ]
        if not waiting:
            raise StudioError("The simulated flow stopped with nothing to wait for.", sequence.id)
        clock.now = max(clock.now, min(waiting))
        workflow.refresh_timers()
    else:
        raise StudioError("The simulated flow did not finish; does the send window ever open?", sequence.id)
    return _entries(sequence, contact, workflow, sent, clock.now)


def _entries(
    sequence: Sequence, contact: Contact, workflow: Any, sent: dict[int, datetime], ended: datetime
) -> list[TimelineEntry]:
    finished = {task.task_spec.bpmn_id: task for task in workflow.get_tasks(state=TaskState.COMPLETED)}
    exits = [c.event for c in sequence.exit_conditions if end_id_for_exit(c.event) in finished]
    exit_reason = f"exited: {exits[0]}" if exits else ""
    entries = []
    exit_reported = False
    for step in sorted(sequence.steps, key=lambda s: s.position):
        n = step.position
        if "end_holdout" in finished:
            entries.append(TimelineEntry(contact.email, n, None, False, "holdout"))
        elif n in sent:
            due = datetime.fromisoformat(finished[f"wait_{n}"]._get_internal_data("event_value"))
            moved = "" if sent[n] == due else f"moved into the send window (due {_iso(due)})"
            entries.append(TimelineEntry(contact.email, n, sent[n], True, moved))
        else:
            at = None if exit_reported else ended
            exit_reported = True
            entries.append(TimelineEntry(contact.email, n, at, False, exit_reason or "not reached"))
    return entries


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
