"""Export a sequence to Klaviyo without duplicates: templates first, then the flow (every email
in draft), then its tag; ids land in the flow file's `x-klaviyo` block after each create, so a
failed export resumes where it stopped and a re-export updates instead of creating again.

A create whose answer was lost is looked up by name before anything is sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from seqstudio.core.cancel import CancelToken, ProgressFn, no_progress
from seqstudio.core.errors import StudioError
from seqstudio.core.export.klaviyo import REVISION, bodies
from seqstudio.core.export.klaviyo.client import KlaviyoClient, KlaviyoError, UnknownOutcomeError
from seqstudio.core.export.rendering import RenderFn
from seqstudio.core.flowmeta import FlowMeta, content_hash
from seqstudio.core.model import Sequence

BLOCK = "klaviyo"
Checkpoint = Callable[[FlowMeta], None]


@dataclass(frozen=True)
class PlannedRequest:
    method: str
    path: str
    body: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "body": self.body}


@dataclass(frozen=True)
class KlaviyoResult:
    meta: FlowMeta  # with the x-klaviyo ids: write it back into the flow file
    flow_id: str
    created: tuple[str, ...]
    updated: tuple[str, ...]
    notes: tuple[str, ...]  # read-back differences and what the API cannot change


def _filter(name: str) -> str:
    return 'equals(name,"' + name.replace("\\", "\\\\").replace('"', '\\"') + '")'


def plan_klaviyo(sequence: Sequence, meta: FlowMeta, *, render: RenderFn) -> list[PlannedRequest]:
    """What an export would send, without any network access; account ids are placeholders."""
    state = meta.block(BLOCK)
    names = bodies.KlaviyoNames.from_block(state)
    plan: list[PlannedRequest] = []
    ids = {}
    for key, (kind, name) in bodies.required_names(sequence, names).items():
        path = "/api/lists?filter=" + _filter(name) if kind == "list" else "/api/metrics"
        plan.append(PlannedRequest("GET", path, None))
        ids[key] = f"<{kind}:{name}>"
    known = state.get("templates") or {}
    template_ids = {}
    for step in sorted(sequence.steps, key=lambda s: s.position):
        rendered = render(sequence, step, None)
        if step.id in known:
            template_ids[step.id] = known[step.id]
            body = bodies.template_update(known[step.id], sequence, step, rendered)
            plan.append(PlannedRequest("PATCH", f"/api/templates/{known[step.id]}", body))
        else:
            template_ids[step.id] = f"<template:{step.id}>"
            plan.append(
                PlannedRequest("POST", "/api/templates", bodies.template_create(sequence, step, rendered))
            )
    flow_id = state.get("flow_id")
    if flow_id:
        plan.append(PlannedRequest("GET", f"/api/flows/{flow_id}", None))
    else:
        plan.append(PlannedRequest("POST", "/api/flows", bodies.flow_create(sequence, ids, template_ids)))
        flow_id = "<flow>"
    tag_id = state.get("tag_id")
    if not tag_id:
        plan.append(PlannedRequest("POST", "/api/tags", bodies.tag_create(sequence)))
        tag_id = f"<tag:{bodies.tag_name(sequence)}>"
    plan.append(PlannedRequest("POST", f"/api/tags/{tag_id}/relationships/flows", bodies.tag_flows(flow_id)))
    plan.append(PlannedRequest("GET", f"/api/flows/{flow_id}?additional-fields[flow]=definition", None))
    return plan


class _Run:
    def __init__(
        self, sequence: Sequence, meta: FlowMeta, client: KlaviyoClient, checkpoint: Checkpoint
    ) -> None:
        self.sequence, self.client, self.checkpoint = sequence, client, checkpoint
        self.meta = meta
        self.state = meta.block(BLOCK)
        self.state["revision"] = REVISION
        self.created: list[str] = []
        self.updated: list[str] = []
        self.notes: list[str] = []

    def save(self, **values: Any) -> None:
        self.state.update(values)
        self.meta = self.meta.with_block(BLOCK, self.state)
        self.checkpoint(self.meta)

    def find_one(self, path: str, name: str) -> str | None:
        found = self.client.request("GET", path, params={"filter": _filter(name)}).body.get("data") or []
        return str(found[0]["id"]) if found else None

    def exists(self, path: str) -> bool:
        try:
            self.client.request("GET", path)
        except KlaviyoError as error:
            if error.status == 404:
                return False
            raise
        return True

    def create(self, what: str, path: str, body: dict[str, Any], lookup: Callable[[], str | None]) -> str:
        """POST once; if the answer was lost, look it up instead of sending it again."""
        try:
            answer = self.client.request("POST", path, body)
        except UnknownOutcomeError as error:
            found = lookup()
            if found is None:
                raise StudioError(
                    f"Klaviyo did not confirm creating the {what}, and it is not there. Nothing was sent "
                    "twice; run the export again to retry.",
                    error.detail,
                ) from None
            self.created.append(what)
            return found
        self.created.append(what)
        return str(answer.body["data"]["id"])

    def resolve_ids(self) -> dict[str, str]:
        ids: dict[str, str] = {}
        names = bodies.KlaviyoNames.from_block(self.state)
        metrics: list[dict[str, Any]] | None = None
        for key, (kind, name) in bodies.required_names(self.sequence, names).items():
            if kind == "list":
                found = self.find_one("/api/lists", name)
            else:
                metrics = metrics if metrics is not None else self.client.get_all("/api/metrics")
                found = next((str(m["id"]) for m in metrics if m["attributes"].get("name") == name), None)
            if found is None:
                field = {"list": "subscribe_list", "checkout_metric": "checkout_metric"}.get(
                    key, "order_metric"
                )
                what = "list" if kind == "list" else "metric"
                raise StudioError(
                    f"Klaviyo has no {what} named '{name}'. "
                    + (
                        "Metrics appear after the first such event is tracked (connect the store first). "
                        if kind == "metric"
                        else "Create the list in Klaviyo first. "
                    )
                    + f"To use another name, set x-klaviyo.names.{field} in the flow file."
                )
            ids[key] = found
        return ids

    def templates(
        self, render: RenderFn, on_progress: ProgressFn, cancel: CancelToken | None
    ) -> dict[str, str]:
        known: dict[str, str] = dict(self.state.get("templates") or {})
        steps = sorted(self.sequence.steps, key=lambda s: s.position)
        for done, step in enumerate(steps):
            if cancel is not None:
                cancel.raise_if_cancelled()
            on_progress(done, len(steps) + 3, f"Template for email {step.position}")
            rendered = render(self.sequence, step, None)
            name = bodies.template_name(self.sequence, step)
            template_id = known.get(step.id) or self.find_one("/api/templates", name)
            if template_id and self._update_template(template_id, step, rendered):
                self.updated.append(f"template {step.position}")
            else:
                template_id = self.create(
                    f"template {step.position}",
                    "/api/templates",
                    bodies.template_create(self.sequence, step, rendered),
                    lambda name=name: self.find_one("/api/templates", name),  # type: ignore[misc]
                )
            known[step.id] = template_id
            self.save(templates=dict(known))
        return known

    def _update_template(self, template_id: str, step: Any, rendered: Any) -> bool:
        body = bodies.template_update(template_id, self.sequence, step, rendered)
        try:
            self.client.request("PATCH", f"/api/templates/{template_id}", body)
        except KlaviyoError as error:
            if error.status == 404:  # deleted in Klaviyo since the last export: create it anew
                return False
            raise
        return True

    def flow(self, ids: dict[str, str], template_ids: dict[str, str]) -> str:
        name = bodies.flow_name(self.sequence)
        flow_id = self.state.get("flow_id")
        if flow_id and not self.exists(f"/api/flows/{flow_id}"):
            flow_id = None
        flow_id = flow_id or self.find_one("/api/flows", name)
        if flow_id:
            if self.state.get("exported_hash") != content_hash(self.sequence):
                self.notes.append(
                    "The flow was already in Klaviyo: its email templates were updated, but Klaviyo's API "
                    "cannot change an existing flow's steps, delays or subjects; edit those in Klaviyo."
                )
        else:
            flow_id = self.create(
                "flow",
                "/api/flows",
                bodies.flow_create(self.sequence, ids, template_ids),
                lambda: self.find_one("/api/flows", name),
            )
        self.save(flow_id=flow_id)
        return str(flow_id)

    def tag(self, flow_id: str) -> None:
        tag = bodies.tag_name(self.sequence)
        tag_id = self.state.get("tag_id") or self.find_one("/api/tags", tag)
        if not tag_id:
            tag_id = self.create(
                "tag", "/api/tags", bodies.tag_create(self.sequence), lambda: self.find_one("/api/tags", tag)
            )
            self.save(tag_id=tag_id)
        linked = self.client.get_all(f"/api/tags/{tag_id}/relationships/flows")
        if not any(item.get("id") == flow_id for item in linked):
            self.client.request("POST", f"/api/tags/{tag_id}/relationships/flows", bodies.tag_flows(flow_id))
        self.save(tag_id=tag_id)

    def read_back(self, flow_id: str, template_ids: dict[str, str]) -> None:
        answer = self.client.request(
            "GET", f"/api/flows/{flow_id}", params={"additional-fields[flow]": "definition"}
        )
        definition = (answer.body.get("data") or {}).get("attributes", {}).get("definition") or {}
        emails = [a for a in definition.get("actions") or [] if a.get("type") == "send-email"]
        steps = sorted(self.sequence.steps, key=lambda s: s.position)
        if len(emails) != len(steps):
            self.notes.append(
                f"Read back: Klaviyo's flow has {len(emails)} emails, the sequence {len(steps)}."
            )
            return
        for step, action in zip(steps, emails, strict=True):
            data = action.get("data") or {}
            message = data.get("message") or {}
            if message.get("subject_line") != step.email.subject:
                self.notes.append(
                    f"Read back: email {step.position}'s subject in Klaviyo is {message.get('subject_line')!r}."
                )
            if data.get("status") != "draft":
                self.notes.append(f"Read back: email {step.position} is {data.get('status')!r}, not draft.")


def export_klaviyo(
    sequence: Sequence,
    meta: FlowMeta,
    client: KlaviyoClient,
    *,
    render: RenderFn,
    checkpoint: Checkpoint = lambda meta: None,
    cancel: CancelToken | None = None,
    on_progress: ProgressFn = no_progress,
) -> KlaviyoResult:
    """Create or update the templates, flow and tag; read the flow back and compare.

    `checkpoint` receives the flow meta after every create, so the caller can write the ids into
    the flow file at once: if a later request fails, the next run resumes and creates nothing twice.
    """
    run = _Run(sequence, meta, client, checkpoint)
    total = len(sequence.steps) + 3
    on_progress(0, total, "Looking up lists and metrics")
    ids = run.resolve_ids()
    template_ids = run.templates(render, on_progress, cancel)
    on_progress(total - 3, total, "Flow")
    flow_id = run.flow(ids, template_ids)
    on_progress(total - 2, total, "Tag")
    run.tag(flow_id)
    on_progress(total - 1, total, "Reading the flow back")
    run.read_back(flow_id, template_ids)
    run.save(exported_hash=content_hash(sequence))
    on_progress(total, total, "Done")
    return KlaviyoResult(run.meta, flow_id, tuple(run.created), tuple(run.updated), tuple(run.notes))
