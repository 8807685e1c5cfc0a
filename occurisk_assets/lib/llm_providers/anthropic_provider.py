"""Anthropic (Claude) through the official SDK."""

from __future__ import annotations

from collections.abc import Mapping

import anthropic

from occurisk_assets.lib.llm_providers.base import (
    BatchItemError,
    BatchState,
    Provider,
    ProviderReply,
    call_sdk,
)
from occurisk_assets.scoring.config import ModelConfig
from occurisk_assets.scoring.prompt import RenderedPrompt


class AnthropicProvider(Provider):
    def __init__(self, model: ModelConfig, api_key: str):
        super().__init__(model)
        # max_retries=0: our retry loop (calling.py) is the only one, so it is paced, budgeted and tested.
        self.client = anthropic.Anthropic(
            api_key=api_key, base_url=model.base_url, max_retries=0, timeout=model.timeout_s
        )

    def request_params(self, prompt: RenderedPrompt) -> dict:
        params: dict = {
            "model": self.model.model_id,
            "max_tokens": self.model.max_output_tokens,
            "system": prompt.system,
            "messages": [{"role": "user", "content": prompt.user}],
        }
        if self.model.response_format == "json_schema":
            params["output_config"] = {"format": {"type": "json_schema", "schema": prompt.response_schema}}
        return params

    def _extra_body(self) -> dict | None:
        # API 2026-10-21 rejects sampling parameters; one is sent only when configured (older API versions,
        # compatible servers).
        return {"temperature": self.model.temperature} if self.model.temperature is not None else None

    def _call(self, fn, *args, **kwargs):
        return call_sdk(anthropic, self.model.timeout_s, fn, *args, **kwargs)

    def complete(self, prompt: RenderedPrompt) -> ProviderReply:
        message = self._call(
            self.client.messages.create, **self.request_params(prompt), extra_body=self._extra_body()
        )
        return reply_from_message(message.to_dict())

    def submit_batch(self, requests: Mapping[str, RenderedPrompt]) -> str:
        extra = self._extra_body() or {}
        batch = self._call(
            self.client.messages.batches.create,
            requests=[
                {"custom_id": cid, "params": {**self.request_params(p), **extra}}
                for cid, p in requests.items()
            ],
        )
        return batch.id

    def batch_state(self, batch_id: str) -> BatchState:
        batch = self._call(self.client.messages.batches.retrieve, batch_id)
        return BatchState(
            ended=batch.processing_status == "ended",
            status=batch.processing_status,
            detail={"request_counts": batch.request_counts.to_dict()},
        )

    def batch_results(self, batch_id: str) -> dict[str, ProviderReply | BatchItemError]:
        results: dict[str, ProviderReply | BatchItemError] = {}
        for item in self._call(self.client.messages.batches.results, batch_id):
            result = item.result
            if result.type == "succeeded":
                results[item.custom_id] = reply_from_message(result.message.to_dict())
            elif result.type == "errored":
                error = result.error.to_dict().get("error", {})
                results[item.custom_id] = BatchItemError(
                    kind=f"batch_{error.get('type', 'error')}", message=str(error.get("message", ""))
                )
            else:
                results[item.custom_id] = BatchItemError(kind=f"batch_{result.type}", message=result.type)
        return results


def reply_from_message(body: dict) -> ProviderReply:
    """A Messages API message JSON object → ProviderReply (the same for online and batch replies)."""
    texts = [block.get("text", "") for block in body.get("content") or [] if block.get("type") == "text"]
    usage = body.get("usage") or {}
    stop_reason = body.get("stop_reason")
    return ProviderReply(
        content="".join(texts) if texts else None,
        input_tokens=usage.get("input_tokens"),
        output_tokens=usage.get("output_tokens"),
        raw=body,
        response_model=body.get("model"),
        refusal=("".join(texts) or "stop_reason=refusal") if stop_reason == "refusal" else None,
        truncated=stop_reason == "max_tokens",
    )
