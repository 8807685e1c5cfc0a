"""What every answer shares: the metadata block, error bodies, pagination, number rounding and the AI score."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer

from api.config import onet_attribution

ANSWER_DECIMALS = 4
AEI_ATTRIBUTION = (
    "Observed use: Anthropic Economic Index (CC BY); Handa et al. (2025), arXiv:2503.04761; "
    "Massenkoff & McCrory (2026)."
)


def _to_answer_decimals(value: float) -> float:
    return round(value, ANSWER_DECIMALS)


# Every number the answers derive (scores, shares, weights, similarities, ratios, wages) is written to JSON
# with at most ANSWER_DECIMALS decimals, after the database has sorted by the exact values: no float noise
# such as 0.5750000000000001, and no order changed by rounding.
Rounded = Annotated[float, PlainSerializer(_to_answer_decimals, return_type=float, when_used="json")]

BlsFlag = Literal["suppressed", "top_coded"]


class Meta(BaseModel):
    data_version: str | None = Field(description="The O*NET release the response was built from, e.g. 30.1.")
    attribution: str = Field(description="O*NET attribution (CC BY 4.0).")
    observed_use_attribution: str = Field(
        default=AEI_ATTRIBUTION,
        description="Attribution of the observed-use figures (Anthropic Economic Index).",
    )

    @classmethod
    def for_version(cls, version: str | None) -> Meta:
        return cls(data_version=version, attribution=onet_attribution(version))


class Message(BaseModel):
    detail: str


class FieldProblem(BaseModel):
    type: str = Field(description="The kind of problem, e.g. `missing`, `string_too_long`.")
    loc: list[str | int] = Field(description="Where: `body`, `query` or `path`, then the field's path.")
    msg: str = Field(description="What to fix (never the value sent).")


class Unprocessable(BaseModel):
    detail: str | list[FieldProblem] = Field(
        description="The fields to fix, each with where and what (never the value sent); or, for a value of "
        "the right shape the data refuses (an unknown occupation code), one sentence naming the field."
    )


# For routes whose 422 may also be one sentence (a check against the data, after validation).
UNPROCESSABLE: dict[int | str, dict] = {
    422: {"model": Unprocessable, "description": "A field to fix (named), never echoing the value sent."}
}


ERROR_RESPONSES: dict[int | str, dict] = {
    404: {"model": Message, "description": "Unknown code, or a version that is not loaded."},
    409: {"model": Message, "description": "A version that is loaded but not completely built (its status)."},
    503: {
        "model": Message,
        "description": "The database is unreachable, not built yet, or no version is active.",
    },
}


class Pagination(BaseModel):
    total: int = Field(description="Items matching the query, over all pages.")
    page: int
    page_size: int
    pages: int


class AIScore(BaseModel):
    mean: Rounded | None = Field(
        description="AI-replacement score 0-1: the weighted mean of the occupation's scored "
        "tasks' ensemble scores."
    )
    std: Rounded | None = Field(description="Spread (population std) of the per-model occupation scores.")
    coverage: Rounded = Field(
        description="Share of the occupation's task weight carried by scored tasks (0-1)."
    )
    n_tasks_scored: int
