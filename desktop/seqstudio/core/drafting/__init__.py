"""Drafting emails with an LLM (OpenAI or any OpenAI-compatible endpoint) or offline.

The API the GUI's runner and the CLI call; everything returns frozen values and saves nothing:

    client = make_client(settings, SecretStore())          # LLMClient, or OfflineDrafter
    results = draft_sequence(sequence, client=client, cancel=token,
                             on_progress=progress, on_step_done=show_step)
    result = draft_step(sequence, 3, client=client, cancel=token)
    variants = suggest_subjects(sequence, 3, client=client, cancel=token)
    rewrite = rewrite_passage(sequence, 3, passage, reason, client=client, cancel=token)
    findings = check_facts(email, sequence.offer)
"""

from seqstudio.core.drafting.drafter import (
    DraftClient,
    StepDraftResult,
    draft_sequence,
    draft_step,
    make_client,
)
from seqstudio.core.drafting.errors import DraftingError, PromptTemplateError
from seqstudio.core.drafting.facts import FactFinding, FactKind, check_facts
from seqstudio.core.drafting.llm import LLMClient
from seqstudio.core.drafting.offline import OfflineDrafter
from seqstudio.core.drafting.prompts import PromptLibrary
from seqstudio.core.drafting.settings import OutputMode, ProviderSettings
from seqstudio.core.drafting.suggestions import Rewrite, SubjectVariants, rewrite_passage, suggest_subjects
from seqstudio.core.drafting.tokens import TokenUsage

__all__ = [
    "DraftClient",
    "DraftingError",
    "FactFinding",
    "FactKind",
    "LLMClient",
    "OfflineDrafter",
    "OutputMode",
    "PromptLibrary",
    "PromptTemplateError",
    "ProviderSettings",
    "Rewrite",
    "StepDraftResult",
    "SubjectVariants",
    "TokenUsage",
    "check_facts",
    "draft_sequence",
    "draft_step",
    "make_client",
    "rewrite_passage",
    "suggest_subjects",
]
