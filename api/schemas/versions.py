"""The service and its data: GET /health, /versions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import Meta


class VersionInfo(BaseModel):
    id: str
    release_date: dt.date | None
    is_active: bool
    loaded_at: dt.datetime | None
    built_at: dt.datetime | None = Field(description="When its last complete build finished.")
    n_occupations: int = Field(
        description="SOC occupations served for this version (0 before its marts are built)."
    )
    n_scored: int


class Versions(BaseModel):
    meta: Meta
    items: list[VersionInfo]


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["reachable"]
    active_version: str | None
    meta: Meta
