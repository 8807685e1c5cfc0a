"""How the API's routes reach a person's profile: only by its random id, a path parameter of a fixed shape
(loading it, or NotFound, is api/services/profiles.py). Shared by every /profiles route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from occurisk_assets.lib.codes import PROFILE_ID_PATTERN

ProfileId = Annotated[
    str,
    Path(pattern=PROFILE_ID_PATTERN, description="The profile's id, as returned when it was made."),
]
