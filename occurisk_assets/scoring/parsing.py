"""Turning a model's reply into a score, or saying precisely why it is not one."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Literal

OutputErrorKind = Literal["malformed_output", "out_of_range", "refusal", "truncated"]

_CODE_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


class InvalidOutput(Exception):
    """A paid reply that is not a usable score; retried, then recorded in core.scoring_failure."""

    def __init__(self, kind: OutputErrorKind, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class ScoreOutput:
    score: float
    rationale: str | None


def parse_score_output(text: str | None) -> ScoreOutput:
    if text is None or not text.strip():
        raise InvalidOutput("malformed_output", "empty reply")
    body = text.strip()
    fenced = _CODE_FENCE.match(body)  # OpenAI-compatible servers without JSON mode sometimes fence it
    if fenced:
        body = fenced.group(1)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise InvalidOutput("malformed_output", f"reply is not JSON ({exc.msg}): {body[:200]!r}") from None
    if not isinstance(data, dict):
        raise InvalidOutput("malformed_output", f"reply is not a JSON object: {body[:200]!r}")
    score = data.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise InvalidOutput("malformed_output", f"'score' is not a number: {score!r}")
    if not math.isfinite(score) or not 0.0 <= score <= 1.0:
        raise InvalidOutput("out_of_range", f"score {score!r} is outside 0..1")
    rationale = data.get("rationale")
    if rationale is not None and not isinstance(rationale, str):
        raise InvalidOutput("malformed_output", f"'rationale' is not a string: {rationale!r}")
    return ScoreOutput(score=float(score), rationale=rationale.strip() if rationale else None)
