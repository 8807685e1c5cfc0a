"""Fixtures of the BLS tests: the real workbooks in ../shared/data/bls and the O*NET 30.1 codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from occurisk_assets.lib.settings import SHARED_DATA


@pytest.fixture(scope="session")
def bls_dir() -> Path:
    return SHARED_DATA / "bls"


@pytest.fixture(scope="session")
def onet_30_1_occupations() -> list[tuple[str, str]]:
    """(O*NET-SOC code, title) of every occupation of O*NET 30.1 (`Occupation Data.txt`)."""
    lines = (SHARED_DATA / "onet" / "db_30_1_text" / "Occupation Data.txt").read_text().splitlines()
    return [tuple(line.split("\t")[:2]) for line in lines[1:]]
