"""The real AEI release folders (../shared/data/exposure/anthropic_economic_index), and a copy of one with a
line broken, for the bad-input tests."""

import shutil
from pathlib import Path

import pytest

from occurisk_assets.lib.settings import SHARED_DATA

AEI_DATA = SHARED_DATA / "exposure" / "anthropic_economic_index"
ONET_DATA = SHARED_DATA / "onet"


def copy_with_line_replaced(folder: Path, target: Path, file_name: str, line_no: int, new_line: str) -> Path:
    """A copy of a release folder in which line `line_no` (1 = header) of one file is `new_line`."""
    shutil.copytree(folder, target)
    path = target / file_name
    path.chmod(0o644)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line_no - 1] = new_line + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def aei_data() -> Path:
    return AEI_DATA
