"""How the API's routes reach a person's profile: only by its random id (a path parameter of a fixed
shape), and a 404 that says why when no profile has it. Shared by every /profiles route."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Path

from occurisk_assets.assistant import profiles
from occurisk_assets.lib.codes import PROFILE_ID_PATTERN

ProfileId = Annotated[
    str,
    Path(pattern=PROFILE_ID_PATTERN, description="The profile's id, as returned when it was made."),
]
NOT_FOUND = "no such profile (it may have been deleted, or removed after 30 days without use)"


async def profile_or_404(conn, profile_id: str) -> dict:
    """The profile (its jobs, tasks and duties), marked as opened; 404 when there is none."""
    row = await profiles.load(conn, profile_id)
    if row is None:
        raise HTTPException(404, NOT_FOUND)
    return row
