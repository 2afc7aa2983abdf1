"""Steps as plain text, the form in which revisions are shown and compared (GUI and CLI alike)."""

from __future__ import annotations

import difflib

from seqstudio.core.model import Step


def step_as_text(step: Step) -> str:
    email = step.email
    return (
        f"Subject: {email.subject}\nPreheader: {email.preheader}\nDelay: {step.delay}\n"
        f"Purpose: {step.purpose}\nButton: {email.cta.label} <{email.cta.url}>\nStatus: {step.status.value}\n\n"
        f"{email.body}\n"
    )


def diff_steps(old: Step, new: Step, old_name: str = "revision", new_name: str = "current") -> str:
    """A unified diff of two steps' text, or a note that they are the same."""
    lines = difflib.unified_diff(
        step_as_text(old).splitlines(), step_as_text(new).splitlines(), old_name, new_name, lineterm=""
    )
    return "\n".join(lines) or "(same as the current text)"
