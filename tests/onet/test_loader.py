"""The O*NET loader on the real releases in ../shared/data/onet."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from occurisk_assets.lib import db
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.onet.files import SPECS
from occurisk_assets.onet.loader import ReleaseFileError, load_release
from occurisk_assets.onet.sources import Release, ReleaseNotFound, resolve_release
from tests.conftest import ONET_DATA, TASK_RATINGS_EXCERPT

# Data lines of the real files (wc -l minus the header), as published.
COUNTS_30_1 = {
    "occupation_data": 1016,
    "task_statements": 18796,
    "alternate_titles": 56505,
    "skills": 62580,
    "knowledge": 59004,
    "tasks_to_dwas": 23850,
}
ABSENT_30_1 = {"Task Ratings.txt", "Abilities.txt", "Work Activities.txt", "Work Context.txt"}


def counts(version: str, tables=COUNTS_30_1) -> dict[str, int]:
    with db.connect() as conn:
        return {
            t: conn.execute(
                f"SELECT count(*) FROM onet_raw.{t} WHERE data_version = %s", (version,)
            ).fetchone()[0]
            for t in tables
        }


def release_copy(tmp_path: Path, version: str = "30.1") -> Path:
    """A release folder of symlinks to the real files, so single files can be replaced or corrupted."""
    folder = tmp_path / f"db_{version.replace('.', '_')}_text"
    folder.mkdir()
    for f in (ONET_DATA / folder.name).iterdir():
        (folder / f.name).symlink_to(f)
    return folder


def rewrite_line(path: Path, line_no: int, edit) -> None:
    """Replace `path` (a symlink) by a copy whose line `line_no` (1-based) is edit(line)."""
    lines = path.read_bytes().split(b"\r\n")
    path.unlink()
    lines[line_no - 1] = edit(lines[line_no - 1])
    path.write_bytes(b"\r\n".join(lines))


def test_real_30_1_loads_exact_counts_and_records_absent_files(fresh_database):
    report = load_release(resolve_release("30.1"))
    assert report.data_version == "30.1"
    assert counts("30.1") == COUNTS_30_1
    assert {f.file_name for f in report.absent} == ABSENT_30_1
    with db.connect() as conn:
        manifest = conn.execute(
            "SELECT file_name, present, rows, bytes, length(sha256) FROM core.release_files WHERE data_version = '30.1'"
        ).fetchall()
        release_date = conn.execute(
            "SELECT release_date::text FROM core.data_version WHERE id = '30.1'"
        ).fetchone()[0]
    by_file = {m[0]: m for m in manifest}
    assert {name for name, m in by_file.items() if not m[1]} == ABSENT_30_1
    assert by_file["Task Statements.txt"][1:] == (
        True,
        18796,
        (ONET_DATA / "db_30_1_text" / "Task Statements.txt").stat().st_size,
        64,
    )
    assert len([m for m in manifest if m[1]]) == 36  # every .txt of the folder but Read Me
    assert release_date == "2025-12-01"


def test_versions_side_by_side_and_rerun_changes_nothing(fresh_database):
    for version in ("29.1", "30.0", "30.1"):
        load_release(resolve_release(version))
    first = {
        v: counts(v, ("occupation_data", "task_statements", "alternate_titles"))
        for v in ("29.1", "30.0", "30.1")
    }
    assert first["30.0"] == {"occupation_data": 1016, "task_statements": 18797, "alternate_titles": 56495}
    assert first["30.1"] == {"occupation_data": 1016, "task_statements": 18796, "alternate_titles": 56505}
    assert first["29.1"]["task_statements"] == 18796
    load_release(resolve_release("30.1"))
    assert {v: counts(v, ("occupation_data", "task_statements", "alternate_titles")) for v in first} == first
    with db.connect() as conn:
        # 30.0 → 30.1 drops task 22703 of 29-1212.00.
        assert conn.execute(
            "SELECT array_agg(data_version ORDER BY data_version) FROM onet_raw.task_statements "
            "WHERE task_id = 22703"
        ).fetchone()[0] == ["29.1", "30.0"]
        # Work Styles changed its columns in 30.1: N is there for 29.1 only.
        assert conn.execute(
            "SELECT count(n) FILTER (WHERE data_version = '29.1') > 0, "
            "count(n) FILTER (WHERE data_version = '30.1') FROM onet_raw.work_styles"
        ).fetchone() == (True, 0)


def test_task_ratings_excerpt_parses_typed(fresh_database, tmp_path):
    folder = release_copy(tmp_path)
    shutil.copy(TASK_RATINGS_EXCERPT, folder / "Task Ratings.txt")
    report = load_release(Release(folder, "30.1", str(folder), None))
    assert report.rows("task_ratings") == 864
    with db.connect() as conn:
        by_scale = conn.execute(
            """SELECT scale_id, count(*), count(category), pg_typeof(min(data_value))::text, pg_typeof(min(n))::text
               FROM onet_raw.task_ratings WHERE data_version = '30.1' GROUP BY 1 ORDER BY 1"""
        ).fetchall()
        first = conn.execute(
            "SELECT onetsoc_code, task_id, category, data_value::text, line_no FROM onet_raw.task_ratings "
            "WHERE data_version = '30.1' ORDER BY line_no LIMIT 1"
        ).fetchone()
    assert by_scale == [
        ("FT", 672, 672, "numeric", "integer"),
        ("IM", 96, 0, "numeric", "integer"),
        ("RT", 96, 0, "numeric", "integer"),
    ]
    assert first == ("11-1011.00", 8823, 1, "5.92", 2)


@pytest.mark.parametrize(
    "file_name, line_no, edit, expected",
    [
        (
            "Skills.txt",
            1,
            lambda line: line.replace(b"Data Value", b"Value"),
            "Skills.txt, line 1: unexpected columns",
        ),
        (
            "Task Statements.txt",
            101,
            lambda line: b"\t".join(line.split(b"\t")[:2]),
            'Task Statements.txt, line 101: missing data for column "task"',
        ),
        (
            "Task Ratings.txt",
            3,
            lambda line: line.replace(b"\t15.98\t", b"\tabc\t"),
            'Task Ratings.txt, line 3: invalid input syntax for type numeric: "abc" (column data_value)',
        ),
    ],
    ids=["wrong-header", "truncated-line", "non-numeric-rating"],
)
def test_corrupt_file_names_file_and_line_and_keeps_previous_data(
    fresh_database, tmp_path, file_name, line_no, edit, expected
):
    load_release(resolve_release("30.1"))
    load_release(resolve_release("30.0"))
    before = {v: counts(v) for v in ("30.0", "30.1")}
    with db.connect() as conn:
        manifest_before = conn.execute("SELECT * FROM core.release_files ORDER BY 1, 2").fetchall()
    folder = release_copy(tmp_path)
    if file_name == "Task Ratings.txt":
        shutil.copy(TASK_RATINGS_EXCERPT, folder / file_name)
    rewrite_line(folder / file_name, line_no, edit)
    with pytest.raises(ReleaseFileError) as error:
        load_release(Release(folder, "30.1", str(folder), None))
    assert str(error.value).startswith(expected)
    assert (error.value.file_name, error.value.line) == (file_name, line_no)
    assert {v: counts(v) for v in ("30.0", "30.1")} == before
    with db.connect() as conn:
        assert conn.execute("SELECT * FROM core.release_files ORDER BY 1, 2").fetchall() == manifest_before
        assert conn.execute("SELECT count(*) FROM onet_raw.task_ratings").fetchone()[0] == 0
        leftovers = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'onet_raw' AND tablename LIKE '%%__load'"
        ).fetchone()[0]
    assert leftovers == 0


def test_required_file_missing_is_a_clear_failure(fresh_database, tmp_path):
    folder = release_copy(tmp_path)
    (folder / "Task Statements.txt").unlink()
    with pytest.raises(ReleaseFileError, match=r"Task Statements.txt: required file is missing"):
        load_release(Release(folder, "30.1", str(folder), None))
    with db.connect() as conn:
        # Failed before touching the database at all: no version registered, no partition or load table
        # made (only the empty partitioned parents of the migrations are there).
        assert conn.execute("SELECT count(*) FROM core.data_version").fetchone()[0] == 0
        kinds = conn.execute(
            "SELECT c.relkind, count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'onet_raw' AND c.relkind IN ('r', 'p') GROUP BY 1"
        ).fetchall()
        assert kinds == [("p", len(SPECS))]


def test_a_required_file_with_only_its_header_is_a_load_error(fresh_database, tmp_path):
    folder = release_copy(tmp_path)
    statements = folder / "Task Statements.txt"
    header = statements.read_bytes().split(b"\n", 1)[0] + b"\n"
    statements.unlink()  # a copy of its own: the other files stay links to the shared data
    statements.write_bytes(header)
    with pytest.raises(ReleaseFileError) as error:
        load_release(Release(folder, "30.1", str(folder), None))
    assert str(error.value) == "Task Statements.txt, line 2: required file has a header but no data rows"
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM core.data_version").fetchone()[0] == 0


def test_unknown_file_is_loaded_generically(fresh_database, tmp_path):
    folder = release_copy(tmp_path)
    (folder / "Future Things.txt").write_bytes(
        b"O*NET-SOC Code\tThing\tData Value\r\n11-1011.00\tx\t1.5\r\n11-1011.03\ty\tn/a\r\n"
    )
    report = load_release(Release(folder, "30.1", str(folder), None))
    assert report.rows("future_things") == 2
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT onetsoc_code, thing, data_value FROM onet_raw.future_things ORDER BY line_no"
        ).fetchall()
    assert [(r[0], r[1], None if r[2] is None else float(r[2])) for r in rows] == [
        ("11-1011.00", "x", 1.5),
        ("11-1011.03", "y", None),
    ]


def _zip_release(tmp_path: Path, version: str) -> Path:
    name = f"db_{version.replace('.', '_')}_text"
    zip_path = tmp_path / "zips" / f"{name}.zip"
    zip_path.parent.mkdir()
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in (ONET_DATA / name).iterdir():
            zf.write(f, f"{name}/{f.name}")
    return zip_path


def test_source_zip_and_url(fresh_database, tmp_path, monkeypatch):
    zip_path = _zip_release(tmp_path, "30.0")
    monkeypatch.setenv("OCCURISK_ONET_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("OCCURISK_ONET_SOURCE", str(zip_path))
    get_settings.cache_clear()
    from_zip = resolve_release("30.0")
    assert from_zip.folder == tmp_path / "landing" / "db_30_0_text"
    assert load_release(from_zip).rows("task_statements") == 18797

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(zip_path.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("OCCURISK_ONET_LANDING", str(tmp_path / "landing2"))
        monkeypatch.setenv("OCCURISK_ONET_SOURCE", f"http://127.0.0.1:{server.server_port}/")
        get_settings.cache_clear()
        from_url = resolve_release("30.0")
        assert (tmp_path / "landing2" / "db_30_0_text.zip").stat().st_size == zip_path.stat().st_size
        assert load_release(from_url).rows("alternate_titles") == 56495
        with pytest.raises(ReleaseNotFound, match="holds O\\*NET 30.0, not 30.1"):
            monkeypatch.setenv("OCCURISK_ONET_SOURCE", str(zip_path))
            get_settings.cache_clear()
            resolve_release("30.1")
    finally:
        server.shutdown()
        get_settings.cache_clear()


def test_two_loads_of_one_version_at_once_wait_for_each_other(fresh_database):
    """Two pipelines of one version load at the same time: the second waits for the first (no deadlock,
    no duplicate working tables) and both end with the same, whole release."""
    release = resolve_release("30.1")
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda _: load_release(release), range(2)))
    assert [r.rows("task_statements") for r in reports] == [18796, 18796]
    with db.connect() as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM onet_raw.task_statements WHERE data_version = '30.1'"
            ).fetchone()[0]
            == 18796
        )
        assert conn.execute("SELECT count(*) FROM core.release_files").fetchone()[0] == len(reports[0].files)
