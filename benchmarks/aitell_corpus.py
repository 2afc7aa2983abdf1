"""The labelled AI-tell corpus: loading, surface masking and the tune / held-out split.

The development set (../shared/eval/aitell/dev.jsonl beside the repository) is third-party test
data: it is read here and never copied into the app or its rule packs. Its two labels differ in
topic and form as well as voice, so every figure is also measured with surface features masked:
`Subject:` (or German `Betreff:`) lines and `{merge}` tokens (human side), `[Bracketed]` fill-ins and Markdown (AI side).

The split is by group, so held-out texts share neither source repository nor prompt with the
texts the rule weights were set on:
* human: by source repository, and sendwithus/templates by template family;
* AI: by the prompt the model answered (different topics in each part).

Rows of the separate held-out corpus (`"corpus": "aitell-heldout"`, see
benchmarks/data/aitell-heldout/README.md) are held out whole: no rule was tuned on them.
A row's `language` field (default "en") says which rule pack scores it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "eval" / "aitell" / "dev.jsonl"
# The held-out corpus (benchmarks/data/aitell-heldout/README.md): its JSONL files sit in one of these.
HELDOUT_DIRS = (
    REPO_ROOT / "benchmarks" / "data" / "aitell-heldout",
    REPO_ROOT.parent / "shared" / "eval" / "aitell-heldout",
)
HUMAN_CUTOFF = "2022-11-30"  # human texts were committed before ChatGPT's release

# Groups whose texts are only ever scored, never looked at while setting severities.
HELDOUT_HUMAN_GROUPS = frozenset(
    {
        "zulip/zulip",
        "strangerstudios/paid-memberships-pro",
        "wildbit/postmark-templates",
        "sendwithus:neopolitan",
        "sendwithus:oxygen",
        "sendwithus:skyline",
        "sendwithus:sunday",
        "sendwithus:zen-flat",
    }
)
HELDOUT_AI_PROMPTS = frozenset(
    {
        "5bd74e9b8a42456ea356adc87c6056c5",  # blog post for a contractor platform
        "e0ccb67ed26f4cebbffed90c991a3fb6",  # personal-finance app promotion
        "0775b8a6be1a4d07",  # SEO product description
        "d4a34066291d423e",  # farewell letter
        "vicuna80:75",  # apology for a delayed order
    }
)
HELDOUT_CORPORA = frozenset({"aitell-heldout"})
SPLITS = ("tune", "heldout", "all")


@dataclass(frozen=True)
class Item:
    id: str
    label: str  # "ai" or "human"
    text: str
    group: str
    split: str  # "tune" or "heldout"
    language: str = "en"

    @property
    def is_ai(self) -> bool:
        return self.label == "ai"


def corpus_path(explicit: str | None = None) -> Path:
    return Path(explicit) if explicit else Path(os.environ.get("SEQSTUDIO_AITELL", DEFAULT_CORPUS))


def group_of(row: dict[str, str]) -> str:
    if row["label"] == "ai":
        return str(row.get("prompt_id", ""))
    source = str(row.get("source_repo", ""))
    if source == "sendwithus/templates":
        return "sendwithus:" + row["id"].split(":", 1)[1].split("/", 1)[0]
    return source


def split_of(label: str, group: str) -> str:
    heldout = HELDOUT_AI_PROMPTS if label == "ai" else HELDOUT_HUMAN_GROUPS
    return "heldout" if group in heldout else "tune"


def load_corpus(path: Path) -> list[Item]:
    """Every row of a JSONL file in the dev-set format (id, label, text, grouping fields)."""
    items: list[Item] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            if row["label"] not in ("ai", "human"):
                raise ValueError(f"{row['id']}: label must be 'ai' or 'human'")
            group = group_of(row)
            held_out = row.get("corpus") in HELDOUT_CORPORA
            split = "heldout" if held_out else split_of(row["label"], group)
            language = str(row.get("language") or "en")
            items.append(Item(row["id"], row["label"], row["text"], group, split, language))
    return items


_SHA = re.compile(r"\A[0-9a-f]{40}\Z")
_PROVENANCE = ("id", "label", "text", "kind", "source_repo", "path", "commit", "commit_date", "license")


def provenance_problems(row: dict[str, object]) -> list[str]:
    """What a held-out row lacks to be traced and redistributed: source, full commit, licence, date."""
    problems = [f"no {field}" for field in _PROVENANCE if not row.get(field)]
    if row.get("language") not in ("en", "de"):
        problems.append("language must be 'en' or 'de'")
    if row.get("commit") and not _SHA.match(str(row["commit"])):
        problems.append("commit is not a full SHA")
    if row.get("label") == "human" and str(row.get("commit_date", "")) >= HUMAN_CUTOFF:
        problems.append(f"human text committed on or after {HUMAN_CUTOFF}")
    if row.get("label") == "ai":
        problems += [
            f"no {field}" for field in ("generator", "prompt_id", "instruction") if not row.get(field)
        ]
    if len(str(row.get("text", "")).split()) < 40:
        problems.append("text under 40 words")
    return problems


def corpus_language(items: Iterable[Item]) -> str:
    """The one language of a corpus's rows; a corpus that mixes languages must be scored per language."""
    languages = sorted({i.language for i in items})
    if len(languages) != 1:
        raise ValueError(f"the corpus mixes languages {', '.join(languages)}: pass --lang")
    return languages[0]


def select(items: Iterable[Item], split: str) -> list[Item]:
    return [i for i in items if split == "all" or i.split == split]


_SUBJECT = re.compile(r"\A\s*(?:Subject|Betreff):[^\n]*\n")  # German texts may label it either way
_MERGE = re.compile(r"\{[^{}\n]{1,40}\}")
_BRACKETED = re.compile(r"\[[^\[\]\n]{1,60}\](?!\()")
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\([^)\n]*\)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_MD_BULLET = re.compile(r"^[ \t]*[-*+•][ \t]+", re.MULTILINE)
_MD_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.MULTILINE)


def mask_surface(text: str) -> str:
    """The text without the surface marks that give its source away (see the module docstring).

    Merge fields and fill-ins become a neutral name so sentences stay whole.
    """
    text = _SUBJECT.sub("", text)
    text = _MERGE.sub("Sam", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _BRACKETED.sub("Sam", text)
    text = _MD_RULE.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_BULLET.sub("", text)
    return _MD_EMPHASIS.sub("", text)


def truncate_words(text: str, limit: int) -> str:
    """The text up to its `limit`-th word (keeping line breaks), to take length out of the comparison."""
    if limit <= 0:
        return text
    for count, match in enumerate(re.finditer(r"\S+", text), start=1):
        if count == limit:
            return text[: match.end()]
    return text
