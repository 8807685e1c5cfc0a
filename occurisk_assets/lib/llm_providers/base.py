"""The provider interface every LLM behind an API implements, and the errors it may raise.

A provider makes exactly one HTTP attempt per call (the SDKs' own retries are disabled); retrying,
pacing and budgeting are done once for all providers in calling.py.
"""

from __future__ import annotations

import email.utils
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from occurisk_assets.scoring.config import ModelConfig
from occurisk_assets.scoring.parsing import InvalidOutput, ScoreOutput, parse_score_output
from occurisk_assets.scoring.prompt import RenderedPrompt

TransientKind = Literal["rate_limited", "server_error", "timeout", "connection"]


class TransientProviderError(Exception):
    """Worth retrying after a pause: 429, 5xx, timeouts, dropped connections."""

    def __init__(self, kind: TransientKind, message: str, *, retry_after_s: float | None = None):
        super().__init__(message)
        self.kind = kind
        self.retry_after_s = retry_after_s


class RejectedRequest(Exception):
    """The provider refused this one request (4xx other than auth); retrying would not help."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.kind = f"http_{status}"


class FatalProviderError(Exception):
    """Every call of this model would fail (bad key, no access, unknown model): stop its run."""


@dataclass(frozen=True)
class ProviderReply:
    """One paid answer, normalised across providers."""

    content: str | None
    input_tokens: int | None  # None when an OpenAI-compatible server reports no usage
    output_tokens: int | None
    raw: dict
    response_model: str | None = None
    refusal: str | None = None
    truncated: bool = False

    def parse(self) -> ScoreOutput:
        if self.refusal is not None:
            raise InvalidOutput("refusal", f"the model refused: {self.refusal[:200]!r}")
        if self.truncated:
            raise InvalidOutput("truncated", "the reply hit max_output_tokens before the JSON was complete")
        return parse_score_output(self.content)


@dataclass(frozen=True)
class BatchItemError:
    """A batch request that produced no reply (errored, expired, cancelled)."""

    kind: str
    message: str


@dataclass(frozen=True)
class BatchState:
    ended: bool
    status: str
    detail: dict = field(default_factory=dict)


class Provider(ABC):
    def __init__(self, model: ModelConfig):
        self.model = model

    @abstractmethod
    def complete(self, prompt: RenderedPrompt) -> ProviderReply:
        """One attempt; raises TransientProviderError, RejectedRequest or FatalProviderError."""

    @abstractmethod
    def submit_batch(self, requests: Mapping[str, RenderedPrompt]) -> str:
        """Submit {custom_id: prompt} as one provider batch; return the batch id."""

    @abstractmethod
    def batch_state(self, batch_id: str) -> BatchState: ...

    @abstractmethod
    def batch_results(self, batch_id: str) -> dict[str, ProviderReply | BatchItemError]:
        """{custom_id: reply or error} of an ended batch."""


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms`, `retry-after` (seconds or an HTTP date), else None."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        if "retry-after-ms" in lowered:
            return max(0.0, float(lowered["retry-after-ms"]) / 1000)
    except ValueError:
        pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, parsed.timestamp() - (now if now is not None else time.time()))


def classify_status_error(status: int, message: str, headers: Mapping[str, str] | None) -> Exception:
    """The error to raise for an HTTP error status, the same way for every provider."""
    if status in (408, 409, 429) or status >= 500:
        kind: TransientKind = "rate_limited" if status == 429 else "server_error"
        return TransientProviderError(
            kind, f"HTTP {status}: {message}", retry_after_s=parse_retry_after(headers)
        )
    if status in (401, 403, 404):
        return FatalProviderError(f"HTTP {status}: {message}")
    return RejectedRequest(status, f"HTTP {status}: {message}")


def call_sdk(sdk, timeout_s: float, fn, *args, **kwargs):
    """Call an official SDK (`openai` or `anthropic`: the same exception classes by name) and turn its
    errors into ours, so the retry policy sees one vocabulary whatever the provider."""
    try:
        return fn(*args, **kwargs)
    except sdk.APITimeoutError as exc:
        raise TransientProviderError("timeout", f"timed out after {timeout_s}s") from exc
    except sdk.APIConnectionError as exc:
        raise TransientProviderError("connection", f"connection error: {exc}") from exc
    except sdk.APIStatusError as exc:
        raise classify_status_error(exc.status_code, exc.message, exc.response.headers) from exc
