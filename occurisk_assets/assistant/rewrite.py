"""LLM rewording of an offline draft (opt-in per profile), through the scoring domain's provider layer:
the same models.toml, keys from the environment, the SDKs' HTTP code, retries with backoff, a per-call
budget, a cache (in the assistant schema, deleted with the profile), a versioned prompt.

The reply may only change wording: it must keep the draft's shape and state no fact (number, year,
name, employer, credential) the person did not give. Otherwise the offline draft is kept, with a note.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import tomllib
from dataclasses import replace
from pathlib import Path

from psycopg import AsyncConnection

from occurisk_assets.assistant.facts import Facts, added_facts
from occurisk_assets.assistant.resume import Note, ResumeDraft
from occurisk_assets.lib.llm_providers import MissingApiKey, build_provider, has_api_key
from occurisk_assets.lib.llm_providers.base import FatalProviderError, RejectedRequest, TransientProviderError
from occurisk_assets.lib.llm_providers.limits import transient_retrying
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.scoring.calling import max_call_cost_usd
from occurisk_assets.scoring.config import load_scoring_config
from occurisk_assets.scoring.prompt import RenderedPrompt

log = logging.getLogger(__name__)

PROMPT_FILE = Path(__file__).with_name("prompts") / "resume_rewrite_v1.toml"


def _prompt(draft: ResumeDraft) -> RenderedPrompt:
    with open(PROMPT_FILE, "rb") as fh:
        spec = tomllib.load(fh)
    shape = {"summary": draft.summary, "jobs": [{"bullets": j.bullets} for j in draft.jobs]}
    return RenderedPrompt(
        spec["prompt_version"],
        spec["system"],
        spec["user"].format(draft_json=json.dumps(shape, ensure_ascii=False, indent=1)),
        json.loads(spec["response_schema"]),
    )


def rewrite_model_name() -> str | None:
    """The first default LLM whose key is set (or that points at a local server), else None: offline."""
    config = load_scoring_config(get_settings().scoring_config)
    for name in config.default_llm_models:
        model = config.model(name)
        if has_api_key(model) or model.base_url:
            return name
    return None


def _call(model_name: str, prompt: RenderedPrompt) -> str:
    config = load_scoring_config(get_settings().scoring_config)
    model = config.model(model_name)
    provider = build_provider(model)
    reply = transient_retrying(config.retry)(provider.complete, prompt)
    if reply.refusal is not None or reply.truncated or not reply.content:
        raise RejectedRequest(200, "the model refused or its reply was cut off")
    return reply.content


def apply_reply(draft: ResumeDraft, content: str, allowed: Facts) -> tuple[ResumeDraft | None, Note | None]:
    """The reworded draft, or None and the note saying why it was rejected."""
    try:
        data = json.loads(content)
        summary = str(data["summary"]).strip()
        bullets = [[str(b).strip() for b in job["bullets"]] for job in data["jobs"]]
    except (ValueError, KeyError, TypeError):
        return None, Note("rejected_not_json")
    if len(bullets) != len(draft.jobs) or any(
        len(b) != len(j.bullets) for b, j in zip(bullets, draft.jobs, strict=True)
    ):
        return None, Note("rejected_shape")
    added = added_facts(allowed, "\n".join([summary, *[b for job in bullets for b in job]]))
    if added:
        return None, Note("rejected_facts", {"facts": added.describe()})
    jobs = [replace(j, bullets=b) for j, b in zip(draft.jobs, bullets, strict=True)]
    return replace(draft, summary=summary, jobs=jobs), None


async def rewrite_draft(
    conn: AsyncConnection, profile_id: str, draft: ResumeDraft, allowed: Facts
) -> ResumeDraft:
    """Reword `draft` with the configured LLM; on any failure or invented fact, the offline draft with a note.
    The reply is cached per profile (assistant.llm_rewrite), so asking again never pays twice."""
    model_name = rewrite_model_name()
    if model_name is None:
        return replace(draft, notes=[*draft.notes, Note("no_llm")])
    prompt = _prompt(draft)
    config = load_scoring_config(get_settings().scoring_config)
    if max_call_cost_usd(config.model(model_name), prompt) > get_settings().assistant_llm_max_call_usd:
        return replace(
            draft,
            notes=[*draft.notes, Note("over_budget")],
        )
    key = hashlib.sha256(prompt.text.encode()).hexdigest()
    cur = await conn.execute(
        "SELECT reply FROM assistant.llm_rewrite WHERE profile_id = %s AND prompt_sha256 = %s AND model = %s",
        [profile_id, key, model_name],
    )
    row = await cur.fetchone()
    content = row[0] if row else None
    if content is None:
        try:
            content = await asyncio.to_thread(_call, model_name, prompt)
        except (TransientProviderError, RejectedRequest, FatalProviderError, MissingApiKey) as exc:
            # The error kind only: a provider message may quote the request, i.e. the person's text.
            log.warning("résumé rewrite with %s failed (%s)", model_name, type(exc).__name__)
            return replace(draft, notes=[*draft.notes, Note("unreachable")])
        await conn.execute(
            "INSERT INTO assistant.llm_rewrite (profile_id, prompt_sha256, model, reply) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [profile_id, key, model_name, content],
        )
    reworded, rejection = apply_reply(draft, content, allowed)
    if reworded is None:
        return replace(draft, notes=[*draft.notes, rejection])
    return replace(
        reworded,
        mode=f"llm:{model_name}",
        notes=[*draft.notes, Note("reworded", {"model": model_name})],
    )
