"""The versioned scoring prompt: loading prompts/<name>.toml and rendering it for one task."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).with_name("prompts")

# Chat formatting (role markers, message framing) costs a few tokens beyond the text itself.
MESSAGE_FRAMING_TOKENS = 64


@dataclass(frozen=True)
class RenderedPrompt:
    """The exact text one provider call sends; its hash is part of the cache key."""

    prompt_version: str
    system: str
    user: str
    response_schema: dict

    @property
    def text(self) -> str:
        return f"[system]\n{self.system}\n[user]\n{self.user}"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def max_input_tokens(self) -> int:
        """An upper bound of the input tokens: byte-level BPE tokens cover at least one byte each, and
        structured-output APIs add the schema to the context."""
        schema_bytes = len(json.dumps(self.response_schema).encode("utf-8"))
        return len(self.text.encode("utf-8")) + schema_bytes + MESSAGE_FRAMING_TOKENS

    @property
    def estimated_input_tokens(self) -> int:
        """The usual ~4 characters per token estimate, used for tokens-per-minute pacing."""
        return len(self.text) // 4 + MESSAGE_FRAMING_TOKENS


@dataclass(frozen=True)
class Prompt:
    prompt_version: str
    system: str
    user_template: str
    response_schema: dict
    path: Path

    def render(self, *, occupation_title: str, task_statement: str) -> RenderedPrompt:
        user = self.user_template.format_map(
            {"occupation_title": occupation_title.strip(), "task_statement": task_statement.strip()}
        )
        return RenderedPrompt(self.prompt_version, self.system, user, self.response_schema)


def _parse_prompt_file(path: Path) -> Prompt:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    missing = {"prompt_version", "system", "user", "response_schema"} - data.keys()
    if missing:
        raise ValueError(f"{path}: missing keys {sorted(missing)}")
    return Prompt(
        prompt_version=data["prompt_version"],
        system=data["system"],
        user_template=data["user"],
        response_schema=json.loads(data["response_schema"]),
        path=path,
    )


@lru_cache
def load_prompt(prompt_version: str) -> Prompt:
    """The prompt whose header names `prompt_version` (file name = the version with '_' for '-')."""
    path = PROMPTS_DIR / f"{prompt_version.replace('-', '_')}.toml"
    if not path.exists():
        known = sorted(p.stem for p in PROMPTS_DIR.glob("*.toml"))
        raise ValueError(
            f"no prompt file for prompt_version {prompt_version!r} in {PROMPTS_DIR} (have {known})"
        )
    prompt = _parse_prompt_file(path)
    if prompt.prompt_version != prompt_version:
        raise ValueError(
            f"{path}: header says prompt_version {prompt.prompt_version!r}, expected {prompt_version!r}"
        )
    return prompt
