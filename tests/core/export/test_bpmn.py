"""The BPMN document: XSD-valid, drawn for modelers, and the process SpiffWorkflow loads."""

from __future__ import annotations

from pathlib import Path

import SpiffWorkflow
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.specs.defaults import ExclusiveGateway, IntermediateCatchEvent, ServiceTask

from seqstudio.core.export.bpmn import BPMN, BPMNDI, sequence_to_bpmn
from seqstudio.core.model import Sequence

XSD = Path(SpiffWorkflow.__file__).parent / "bpmn" / "parser" / "schema" / "BPMN20.xsd"
NS = {"bpmn": BPMN, "bpmndi": BPMNDI}


def test_the_document_is_valid_against_the_bpmn_20_xsd(cart: Sequence) -> None:
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(sequence_to_bpmn(cart).encode())
    assert schema.validate(document), schema.error_log


def test_delays_become_timers_and_exits_gateways(cart: Sequence) -> None:
    document = etree.fromstring(sequence_to_bpmn(cart).encode())
    durations = [e.text for e in document.iterfind(".//bpmn:timeDuration", NS)]
    assert durations == [step.delay for step in cart.steps]
    sends = document.findall(".//bpmn:serviceTask", NS)
    assert [s.get("name") for s in sends] == [
        f"Send email {s.position}: {s.email.subject}" for s in cart.steps
    ]
    exits = document.findall(".//bpmn:endEvent[@name='Exited: placed_order']", NS)
    assert len(exits) == 1
    assert len(exits[0].findall("bpmn:incoming", NS)) == 6, "every step checks the exit first"
    holdout = document.find(".//bpmn:exclusiveGateway[@id='holdout_gw']", NS)
    assert holdout is not None and holdout.get("default")


def test_every_element_is_drawn(cart: Sequence) -> None:
    document = etree.fromstring(sequence_to_bpmn(cart).encode())
    process = document.find("bpmn:process", NS)
    assert process is not None
    drawn = {e.get("bpmnElement") for e in document.iterfind(".//bpmndi:BPMNShape", NS)}
    drawn |= {e.get("bpmnElement") for e in document.iterfind(".//bpmndi:BPMNEdge", NS)}
    assert {child.get("id") for child in process} == drawn


def test_stock_spiffworkflow_parses_it(cart: Sequence) -> None:
    parser = BpmnParser()
    parser.add_bpmn_str(sequence_to_bpmn(cart).encode())
    (process_id,) = parser.get_process_ids()
    spec = parser.get_spec(process_id)
    kinds = [type(task) for task in spec.task_specs.values()]
    assert kinds.count(ServiceTask) == 6
    assert kinds.count(IntermediateCatchEvent) == 12, "a delay and a send-window wait per step"
    assert kinds.count(ExclusiveGateway) == 13
