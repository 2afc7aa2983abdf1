"""The sequence as a BPMN 2.0 process: timers for delays, gateways for holdout, exit conditions and
the send window, a service task per send. Valid against the BPMN 2.0 XSD, with a diagram (BPMNDI)
so modelers show it, and runnable in SpiffWorkflow (see simulate.py).

Expressions (gateway conditions, the send-window timer) are Python, as SpiffWorkflow evaluates
them; the functions they call (`holdout_bucket`, `occurred`, `in_send_window`,
`next_window_opening`) are the simulator's, and an engine that runs this file must provide them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from seqstudio.core.durations import describe_delay
from seqstudio.core.model import Sequence

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
for _prefix, _uri in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)

SIZES = {"event": (36, 36), "gateway": (50, 50), "task": (120, 80)}


def process_id(sequence: Sequence) -> str:
    """An XML NCName derived from the sequence id (stable across exports)."""
    return "Process_" + re.sub(r"[^A-Za-z0-9_]", "_", sequence.id)


def end_id_for_exit(event: str) -> str:
    return "end_exit_" + re.sub(r"[^A-Za-z0-9_]", "_", event)


@dataclass
class _Node:
    id: str
    kind: str  # event | gateway | task
    x: int
    y: int

    @property
    def size(self) -> tuple[int, int]:
        return SIZES[self.kind]

    def right(self) -> tuple[int, int]:
        return self.x + self.size[0], self.y + self.size[1] // 2

    def left(self) -> tuple[int, int]:
        return self.x, self.y + self.size[1] // 2

    def bottom(self) -> tuple[int, int]:
        return self.x + self.size[0] // 2, self.y + self.size[1]

    def top(self) -> tuple[int, int]:
        return self.x + self.size[0] // 2, self.y


def _insert_ref(element: ET.Element, tag: str, flow_id: str) -> None:
    """The XSD wants incoming, then outgoing, before an event's definitions."""
    allowed = {f"{{{BPMN}}}incoming"} | ({f"{{{BPMN}}}outgoing"} if tag == "outgoing" else set())
    index = 0
    while index < len(element) and element[index].tag in allowed:
        index += 1
    reference = ET.Element(f"{{{BPMN}}}{tag}")
    reference.text = flow_id
    element.insert(index, reference)


class _Builder:
    def __init__(self, sequence: Sequence) -> None:
        self.definitions = ET.Element(
            f"{{{BPMN}}}definitions",
            {
                "id": "Definitions_seqstudio",
                "targetNamespace": "https://seqstudio.invalid/bpmn",
                "exporter": "Sequence Studio",
                "exporterVersion": "1",
            },
        )
        self.process = ET.SubElement(
            self.definitions,
            f"{{{BPMN}}}process",
            {"id": process_id(sequence), "name": sequence.name, "isExecutable": "true"},
        )
        self.nodes: dict[str, _Node] = {}
        self.elements: dict[str, ET.Element] = {}
        self.flows: list[tuple[str, str, str, list[tuple[int, int]]]] = []

    def node(self, tag: str, node_id: str, name: str, kind: str, x: int, y: int) -> ET.Element:
        element = ET.SubElement(self.process, f"{{{BPMN}}}{tag}", {"id": node_id, "name": name})
        self.nodes[node_id] = _Node(node_id, kind, x, y)
        self.elements[node_id] = element
        return element

    def flow(
        self, source: str, target: str, name: str = "", condition: str = "", default: bool = False
    ) -> None:
        flow_id = f"flow_{source}_{target}"
        attributes = {"id": flow_id, "sourceRef": source, "targetRef": target}
        if name:
            attributes["name"] = name
        element = ET.SubElement(self.process, f"{{{BPMN}}}sequenceFlow", attributes)
        if condition:
            expression = ET.SubElement(
                element, f"{{{BPMN}}}conditionExpression", {f"{{{XSI}}}type": "bpmn:tFormalExpression"}
            )
            expression.text = condition
        if default:
            self.elements[source].set("default", flow_id)
        _insert_ref(self.elements[source], "outgoing", flow_id)
        _insert_ref(self.elements[target], "incoming", flow_id)
        self.flows.append((flow_id, source, target, self._waypoints(source, target)))

    def _waypoints(self, source: str, target: str) -> list[tuple[int, int]]:
        a, b = self.nodes[source], self.nodes[target]
        if b.y > a.y + 20:  # down to a lower row
            start, end = a.bottom(), b.left() if b.x > a.x + 60 else b.top()
            return [start, (start[0], end[1]), end] if end[0] != start[0] else [start, end]
        if b.y < a.y - 20:  # back up (the window timer returning to its exit check)
            start, end = a.top(), b.bottom()
            return [start, (start[0], end[1] + 40), (end[0], end[1] + 40), end]
        return [a.right(), b.left()]

    def timer(self, node_id: str, name: str, x: int, y: int, *, duration: str = "", date: str = "") -> None:
        element = self.node("intermediateCatchEvent", node_id, name, "event", x, y)
        definition = ET.SubElement(element, f"{{{BPMN}}}timerEventDefinition", {"id": f"{node_id}_timer"})
        tag = "timeDuration" if duration else "timeDate"
        value = ET.SubElement(definition, f"{{{BPMN}}}{tag}", {f"{{{XSI}}}type": "bpmn:tFormalExpression"})
        value.text = duration or date

    def diagram(self) -> None:
        diagram = ET.SubElement(self.definitions, f"{{{BPMNDI}}}BPMNDiagram", {"id": "Diagram_1"})
        plane = ET.SubElement(
            diagram,
            f"{{{BPMNDI}}}BPMNPlane",
            {"id": "Plane_1", "bpmnElement": self.process.get("id", "")},
        )
        for node in self.nodes.values():
            shape = ET.SubElement(
                plane, f"{{{BPMNDI}}}BPMNShape", {"id": f"{node.id}_di", "bpmnElement": node.id}
            )
            width, height = node.size
            ET.SubElement(
                shape,
                f"{{{DC}}}Bounds",
                {"x": str(node.x), "y": str(node.y), "width": str(width), "height": str(height)},
            )
        for flow_id, _source, _target, points in self.flows:
            edge = ET.SubElement(
                plane, f"{{{BPMNDI}}}BPMNEdge", {"id": f"{flow_id}_di", "bpmnElement": flow_id}
            )
            for x, y in points:
                ET.SubElement(edge, f"{{{DI}}}waypoint", {"x": str(x), "y": str(y)})


def sequence_to_bpmn(sequence: Sequence) -> str:
    """The BPMN 2.0 XML document for `sequence` (UTF-8 text with an XML declaration)."""
    b = _Builder(sequence)
    row, low = 200, 340
    b.node("startEvent", "start", f"Trigger: {sequence.trigger.event}", "event", 100, row + 7)
    b.node("exclusiveGateway", "holdout_gw", f"Holdout ({sequence.holdout_percent:g}%)?", "gateway", 180, row)
    b.node("endEvent", "end_holdout", "Held out (control group)", "event", 187, low + 7)
    b.flow("start", "holdout_gw")
    b.flow("holdout_gw", "end_holdout", "in holdout", "holdout_bucket(email, seed) < holdout_percent")
    exits = [e.event for e in sequence.exit_conditions]
    previous, x = "holdout_gw", 280
    steps = sorted(sequence.steps, key=lambda s: s.position)
    exit_x = 280 + 430 * len(steps)
    for offset, event in enumerate(exits):
        b.node("endEvent", end_id_for_exit(event), f"Exited: {event}", "event", exit_x, 40 + 60 * offset)
    for step in steps:
        n = step.position
        b.timer(f"wait_{n}", f"Wait {describe_delay(step.delay_delta)}", x, row + 7, duration=step.delay)
        b.flow(previous, f"wait_{n}", default=previous == "holdout_gw")
        b.node("exclusiveGateway", f"exit_gw_{n}", "Exit condition met?", "gateway", x + 70, row)
        b.node("exclusiveGateway", f"window_gw_{n}", "Inside the send window?", "gateway", x + 160, row)
        b.timer(
            f"window_wait_{n}",
            "Wait for the send window",
            x + 167,
            low + 7,
            date="next_window_opening(timezone)",
        )
        send = b.node(
            "serviceTask",
            f"send_{n}",
            f"Send email {n}: {step.email.subject or step.purpose}",
            "task",
            x + 250,
            row - 15,
        )
        send.set("implementation", "##unspecified")
        b.flow(f"wait_{n}", f"exit_gw_{n}")
        for event in exits:
            b.flow(f"exit_gw_{n}", end_id_for_exit(event), event, f"occurred(events, {event!r})")
        b.flow(f"exit_gw_{n}", f"window_gw_{n}", "no exit", default=True)
        b.flow(f"window_gw_{n}", f"send_{n}", "inside", "in_send_window(timezone)")
        b.flow(f"window_gw_{n}", f"window_wait_{n}", "outside", default=True)
        b.flow(f"window_wait_{n}", f"exit_gw_{n}")
        previous, x = f"send_{n}", x + 430
    b.node("endEvent", "end_done", "Sequence finished", "event", x, row + 7)
    b.flow(previous, "end_done")
    b.diagram()
    ET.indent(b.definitions)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(b.definitions, encoding="unicode") + "\n"
