"""core.llm_call: every successful paid call, keyed so that the same question is never paid for twice."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.scoring.calling import CallOutcome
from occurisk_assets.scoring.config import ModelConfig
from occurisk_assets.scoring.prompt import RenderedPrompt


def call_key(model: ModelConfig, prompt: RenderedPrompt) -> str:
    """sha256 of (model, model_version, prompt_version, sha256 of the rendered prompt text)."""
    parts = [model.name, model.model_version or "", prompt.prompt_version, prompt.sha256]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def llm_call_ref(key: str) -> str:
    """task_ai_score.raw_json_ref of a scored call: the row holding the full response JSON."""
    return f"core.llm_call:{key}"


@dataclass(frozen=True)
class CachedCall:
    score: float
    rationale: str | None


def cached_calls(conn: psycopg.Connection, keys: list[str]) -> dict[str, CachedCall]:
    if not keys:
        return {}
    rows = conn.execute(
        "SELECT call_key, score, rationale FROM core.llm_call WHERE call_key = ANY(%s)", [keys]
    ).fetchall()
    return {key: CachedCall(float(score), rationale) for key, score, rationale in rows}


def store_call(
    conn: psycopg.Connection,
    *,
    key: str,
    model: ModelConfig,
    prompt: RenderedPrompt,
    outcome: CallOutcome,
    run_id: int,
    via_batch: bool,
) -> None:
    reply, output = outcome.reply, outcome.output
    assert reply is not None and output is not None, "only successful calls are cached"
    conn.execute(
        """
        INSERT INTO core.llm_call (call_key, model, provider, model_id, model_version, prompt_version,
            prompt_sha256, prompt_text, response_json, response_model, score, rationale, input_tokens,
            output_tokens, cost_usd, paid_attempts, via_batch, latency_ms, run_id)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
        ON CONFLICT (call_key) DO NOTHING
        """,
        [
            key,
            model.name,
            model.provider,
            model.model_id,
            model.model_version,
            prompt.prompt_version,
            prompt.sha256,
            prompt.text,
            Jsonb(reply.raw),
            reply.response_model,
            output.score,
            output.rationale,
            reply.input_tokens,
            reply.output_tokens,
            outcome.cost_usd,
            outcome.paid_attempts,
            via_batch,
            outcome.latency_ms,
            run_id,
        ],
    )
