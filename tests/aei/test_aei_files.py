"""Reading AEI release folders: the real files with exact counts, and bad files refused by file and line."""

import pytest

from occurisk_assets.aei.files import AeiFileError, find_releases, read_file
from tests.aei.conftest import copy_with_line_replaced

ROWS = {
    "labor_market_impacts": {"job_exposure.csv": 756, "task_penetration.csv": 17998},
    "2025_02_10": {"automation_vs_augmentation.csv": 6, "onet_task_mappings.csv": 3514},
    "2025_03_27": {"automation_vs_augmentation_by_task.csv": 3364, "task_pct_v2.csv": 3365},
}


def test_every_release_read_with_exact_row_counts(aei_data):
    releases = find_releases(aei_data)
    assert {key: {p.name: len(read_file(p).rows) for p in r.files} for key, r in releases.items()} == ROWS
    assert str(releases["labor_market_impacts"].published_on) == "2026-03-05"
    assert str(releases["2025_03_27"].published_on) == "2025-03-27"


def test_a_landing_release_is_found_after_the_data_folder(aei_data, tmp_path):
    landing = tmp_path / "landing"
    (landing / "release_2026_01_15").mkdir(parents=True)
    (landing / "release_2026_01_15" / "task_pct_v2.csv").write_text("task_name,pct\nwrite reports.,0.5\n")
    (landing / "notes").mkdir()  # not a release folder: ignored
    releases = find_releases(aei_data, landing)
    assert sorted(releases) == ["2025_02_10", "2025_03_27", "2026_01_15", "labor_market_impacts"]
    assert [row["task_text"] for row in read_file(releases["2026_01_15"].files[0]).rows] == ["write reports."]


@pytest.mark.parametrize(
    ("file_name", "line_no", "new_line", "says"),
    [
        (
            "task_penetration.csv",
            9001,
            '"Answer questions.",high',
            "line 9001: column penetration: not a number",
        ),
        (
            "task_penetration.csv",
            17999,
            '"Answer questions.",1.5',
            "line 17999: column penetration: expected a number from 0 to 1",
        ),
        (
            "job_exposure.csv",
            12,
            "11-30,Managers,0.1",
            "line 12: column occ_code: expected a SOC code XX-XXXX",
        ),
        ("job_exposure.csv", 40, "11-3011,Managers", "line 40: 2 fields, expected 3"),
        ("job_exposure.csv", 1, "soc,title,observed_exposure", "line 1: header"),
    ],
)
def test_a_malformed_file_is_refused_naming_file_and_line(
    aei_data, tmp_path, file_name, line_no, new_line, says
):
    path = copy_with_line_replaced(
        aei_data / "labor_market_impacts", tmp_path / "labor_market_impacts", file_name, line_no, new_line
    )
    with pytest.raises(AeiFileError) as refused:
        read_file(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert says in str(refused.value)
