"""Fetching an official file (O*NET zip, BLS workbook, published ratings) when no local copy exists."""

from __future__ import annotations

from pathlib import Path

import httpx

# bls.gov refuses requests without a descriptive User-Agent.
USER_AGENT = "occurisk (open-source occupational data platform; python-httpx)"
TIMEOUT_S = 120.0


def download(url: str, target: Path) -> Path:
    """Fetch `url` into `target` through a `.part` file, so an interrupted download never looks complete.
    Raises httpx.HTTPError (including a non-2xx answer) or OSError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with httpx.stream(
        "GET", url, headers={"User-Agent": USER_AGENT}, follow_redirects=True, timeout=TIMEOUT_S
    ) as response:
        response.raise_for_status()
        with open(partial, "wb") as out:
            for chunk in response.iter_bytes():
                out.write(chunk)
    partial.replace(target)
    return target
