"""Prompt templates: one Jinja2 file per task in prompts/, a user's edited copy taking precedence.

Templates render in a sandbox with StrictUndefined, so a typo in a user's copy fails loudly instead
of sending an empty line to the model; every failure becomes a PromptTemplateError naming the file
and the line.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from seqstudio.core.drafting.errors import PromptTemplateError
from seqstudio.core.paths import shipped_dir, user_config_dir

TEMPLATES = {
    "system": "system.j2",  # who writes, the brand voice, the house rules
    "step": "step.j2",  # one email of the sequence
    "plan": "plan.j2",  # the arc of the whole sequence, before the steps
    "subjects": "subjects.j2",  # subject-line variants for one email
    "rewrite": "rewrite.j2",  # one flagged passage, rewritten
}


def default_search_path() -> list[Path]:
    """The user's copies first (user_config_dir()/prompts), then the shipped templates."""
    return [user_config_dir() / "prompts", shipped_dir("prompts")]


class PromptLibrary:
    """Renders the prompt templates; safe to share between threads (Jinja2 environments are)."""

    def __init__(self, search_path: Sequence[Path] | None = None) -> None:
        self.search_path = [Path(p) for p in (search_path or default_search_path())]
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.search_path if p.is_dir()]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # prompts are plain text, never HTML
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def path_of(self, name: str) -> Path:
        """The file that `render(name)` uses; raises PromptTemplateError if there is none."""
        filename = TEMPLATES[name]
        for folder in self.search_path:
            if (folder / filename).is_file():
                return folder / filename
        raise PromptTemplateError(filename, None, f"no such file in {', '.join(map(str, self.search_path))}")

    def render(self, name: str, context: dict[str, Any]) -> str:
        """The rendered prompt, stripped; raises PromptTemplateError naming the file and line."""
        path = self.path_of(name)
        try:
            template = self._env.get_template(TEMPLATES[name])
        except jinja2.TemplateSyntaxError as error:
            raise PromptTemplateError(
                error.filename or str(path), error.lineno, error.message or ""
            ) from None
        try:
            return template.render(context).strip()
        except jinja2.TemplateSyntaxError as error:  # an {% include %} of a broken file
            raise PromptTemplateError(
                error.filename or str(path), error.lineno, error.message or ""
            ) from None
        except Exception as error:  # undefined names, sandbox refusals, bad filters: all the template's
            filename = template.filename or str(path)
            line = _template_line(error.__traceback__, filename)
            raise PromptTemplateError(filename, line, f"{type(error).__name__}: {error}") from None


def _template_line(tb: types.TracebackType | None, filename: str) -> int | None:
    """The template line of the innermost traceback frame that Jinja2 mapped back to the file."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
