"""Release zips: the unpacked folder belongs to the zip it came from (a corrected zip of the same name is
unpacked again), a broken zip fails with one line naming it and leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from occurisk_assets.onet.sources import BrokenReleaseZip, unpack_zip

OCCURISK = str(Path(sys.executable).parent / "occurisk")
HEADER = "O*NET-SOC Code\tTitle\tDescription\n"


def write_zip(path: Path, title: str) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("db_30_1_text/Occupation Data.txt", HEADER + f"11-1011.00\t{title}\tLeads.\n" * 2000)
    return path


def test_a_reissued_zip_of_the_same_name_is_unpacked_again(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    zip_path = write_zip(landing / "db_30_1_text.zip", "Chief Executives")
    first = unpack_zip(zip_path, landing)
    assert "Chief Executives" in (first / "Occupation Data.txt").read_text()
    mtime = (first / "Occupation Data.txt").stat().st_mtime_ns
    assert unpack_zip(zip_path, landing) == first  # the same zip: not unpacked twice
    assert (first / "Occupation Data.txt").stat().st_mtime_ns == mtime

    write_zip(zip_path, "Chief Executive Officers")  # the corrected release, same file name
    again = unpack_zip(zip_path, landing)
    assert again == first
    assert "Chief Executive Officers" in (again / "Occupation Data.txt").read_text()
    assert sorted(p.name for p in landing.iterdir()) == ["db_30_1_text", "db_30_1_text.zip"]


def test_a_truncated_zip_fails_naming_the_file_and_leaves_nothing(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    zip_path = write_zip(landing / "db_30_1_text.zip", "Chief Executives")
    data = zip_path.read_bytes()
    zip_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BrokenReleaseZip, match=f"^{zip_path}: not a complete zip file"):
        unpack_zip(zip_path, landing)
    assert [p.name for p in landing.iterdir()] == ["db_30_1_text.zip"]


def test_a_zip_whose_data_is_cut_fails_and_cleans_up(tmp_path):
    """Central directory intact, a member's compressed bytes damaged: extraction starts, then fails."""
    landing = tmp_path / "landing"
    landing.mkdir()
    zip_path = write_zip(landing / "db_30_1_text.zip", "Chief Executives")
    data = bytearray(zip_path.read_bytes())
    with zipfile.ZipFile(zip_path) as zf:
        info = zf.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + 10
    data[start : start + 64] = b"\xff" * 64
    zip_path.write_bytes(bytes(data))
    with pytest.raises(BrokenReleaseZip, match=str(zip_path)):
        unpack_zip(zip_path, landing)
    assert [p.name for p in landing.iterdir()] == ["db_30_1_text.zip"]


def test_occurisk_load_of_a_truncated_zip_says_one_line(tmp_path, fresh_database):
    zip_path = write_zip(tmp_path / "db_30_1_text.zip", "Chief Executives")
    zip_path.write_bytes(zip_path.read_bytes()[:100])
    env = dict(
        os.environ, OCCURISK_ONET_SOURCE=str(zip_path), OCCURISK_ONET_LANDING=str(tmp_path / "landing")
    )
    result = subprocess.run(
        [OCCURISK, "load", "--version", "30.1"], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip() and "Warning" not in line]
    assert lines[-1].startswith(f"Error: {zip_path}: not a complete zip file")
