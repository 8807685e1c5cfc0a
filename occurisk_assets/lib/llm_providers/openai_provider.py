"""OpenAI (and any OpenAI-compatible server: vLLM, Ollama, llama.cpp) through the official SDK."""

from __future__ import annotations

import json
from collections.abc import Mapping

import openai

from occurisk_assets.lib.llm_providers.base import (
    BatchItemError,
    BatchState,
    Provider,
    ProviderReply,
    call_sdk,
)
from occurisk_assets.scoring.config import ModelConfig
from occurisk_assets.scoring.prompt import RenderedPrompt

CHAT_ENDPOINT = "/v1/chat/completions"
BATCH_ENDED = {"completed", "failed", "expired", "cancelled"}


class OpenAIProvider(Provider):
    def __init__(self, model: ModelConfig, api_key: str):
        super().__init__(model)
        # max_retries=0: our retry loop (calling.py) is the only one, so it is paced, budgeted and tested.
        self.client = openai.OpenAI(
            api_key=api_key, base_url=model.base_url, max_retries=0, timeout=model.timeout_s
        )

    def request_body(self, prompt: RenderedPrompt) -> dict:
        body: dict = {
            "model": self.model.model_id,
            "messages": [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": prompt.user},
            ],
            "max_tokens": self.model.max_output_tokens,
        }
        if self.model.temperature is not None:
            body["temperature"] = self.model.temperature
        if self.model.response_format == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "task_score", "strict": True, "schema": prompt.response_schema},
            }
        elif self.model.response_format == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def _call(self, fn, *args, **kwargs):
        return call_sdk(openai, self.model.timeout_s, fn, *args, **kwargs)

    def complete(self, prompt: RenderedPrompt) -> ProviderReply:
        completion = self._call(self.client.chat.completions.create, **self.request_body(prompt))
        return reply_from_completion(completion.to_dict())

    def submit_batch(self, requests: Mapping[str, RenderedPrompt]) -> str:
        lines = [
            json.dumps(
                {"custom_id": cid, "method": "POST", "url": CHAT_ENDPOINT, "body": self.request_body(p)}
            )
            for cid, p in requests.items()
        ]
        payload = ("\n".join(lines) + "\n").encode("utf-8")
        upload = self._call(
            self.client.files.create,
            file=("occurisk-batch.jsonl", payload, "application/jsonl"),
            purpose="batch",
        )
        batch = self._call(
            self.client.batches.create,
            input_file_id=upload.id,
            endpoint=CHAT_ENDPOINT,
            completion_window="24h",
            metadata={"source": "occurisk"},
        )
        return batch.id

    def batch_state(self, batch_id: str) -> BatchState:
        batch = self._call(self.client.batches.retrieve, batch_id)
        counts = batch.request_counts.to_dict() if batch.request_counts else {}
        return BatchState(
            ended=batch.status in BATCH_ENDED, status=batch.status, detail={"request_counts": counts}
        )

    def batch_results(self, batch_id: str) -> dict[str, ProviderReply | BatchItemError]:
        batch = self._call(self.client.batches.retrieve, batch_id)
        if batch.status not in BATCH_ENDED:
            raise ValueError(f"batch {batch_id} has not ended (status {batch.status})")
        results: dict[str, ProviderReply | BatchItemError] = {}
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            content = self._call(self.client.files.content, file_id)
            for line in content.text.splitlines():
                if line.strip():
                    item = json.loads(line)
                    results[item["custom_id"]] = _batch_item(item)
        return results


def _batch_item(item: dict) -> ProviderReply | BatchItemError:
    response = item.get("response") or {}
    if response.get("status_code") == 200:
        return reply_from_completion(response["body"])
    error = item.get("error") or (response.get("body") or {}).get("error") or {}
    status = response.get("status_code")
    return BatchItemError(
        kind=f"http_{status}" if status else "batch_error", message=str(error.get("message", error))
    )


def reply_from_completion(body: dict) -> ProviderReply:
    """A chat.completion JSON object → ProviderReply (the same for online and batch replies)."""
    choice = (body.get("choices") or [{}])[0]  # no choice at all parses as an empty (malformed) reply
    message = choice.get("message") or {}
    usage = body.get("usage") or {}
    refusal = message.get("refusal")
    if refusal is None and choice.get("finish_reason") == "content_filter":
        refusal = "finish_reason=content_filter"
    return ProviderReply(
        content=message.get("content"),
        input_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
        raw=body,
        response_model=body.get("model"),
        refusal=refusal,
        truncated=choice.get("finish_reason") == "length",
    )
