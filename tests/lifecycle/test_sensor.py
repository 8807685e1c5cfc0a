"""The release sensor on a real landing folder and on a local stand-in for the O*NET database page."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
from dagster import instance_for_test

from occurisk_assets.defs.lifecycle.sensors import LANDING_ASSET_KEY
from occurisk_assets.lib import db
from occurisk_assets.partitions import data_version_partitions
from tests.conftest import ONET_DATA
from tests.lifecycle.conftest import Ticks, drop_release


@pytest.fixture
def instance():
    """A Dagster instance with storage of its own (a sensor resolves partitions through its instance ref)."""
    with instance_for_test() as dagster_instance:
        yield dagster_instance


def intake() -> list[tuple]:
    with db.connect() as conn:
        return conn.execute(
            "SELECT data_version, status, problems FROM core.release_intake ORDER BY found_at, data_version"
        ).fetchall()


def test_registers_30_0_then_30_1_never_twice(fresh_database, landing, instance):
    ticks = Ticks(instance)
    empty = ticks.tick()
    assert empty.run_requests == [] and "no new O*NET release" in empty.skip_message

    drop_release(landing, "30.0")
    first = ticks.tick()
    assert [r.partition_key for r in first.run_requests] == ["30.0"]
    assert first.run_requests[0].tags["occurisk/trigger"] == "release_sensor"
    assert [list(r.partition_keys) for r in first.dynamic_partitions_requests] == [["30.0"]]
    assert first.asset_events[0].asset_key == LANDING_ASSET_KEY
    assert ticks.requested() == []

    drop_release(landing, "30.1")
    assert ticks.requested() == ["30.1"]
    assert ticks.requested() == []
    assert ticks.instance.get_dynamic_partitions(data_version_partitions.name) == ["30.0", "30.1"]
    assert [(v, s) for v, s, _ in intake()] == [("30.0", "registered"), ("30.1", "registered")]


def test_a_version_registered_elsewhere_is_not_requested(fresh_database, landing, instance):

    instance.add_dynamic_partitions(data_version_partitions.name, ["30.1"])  # e.g. by `occurisk pipeline`
    drop_release(landing, "30.1")
    assert Ticks(instance).requested() == []


def test_broken_release_reported_once_not_retried_until_it_changes(fresh_database, landing, instance):
    folder = drop_release(landing, "30.0")
    statements = folder / "Task Statements.txt"
    statements.unlink()
    statements.write_bytes(b"O*NET-SOC Code\tTask ID\tTask\r\n11-1011.00\t8823\tDirect things.\r\n")
    (folder / "Occupation Data.txt").unlink()
    ticks = Ticks(instance)

    rejected = ticks.tick()
    assert rejected.run_requests == [] and rejected.dynamic_partitions_requests == []
    assert rejected.asset_events[0].metadata["rejected"].value == ["30.0"]
    [(version, status, problems)] = intake()
    assert (version, status) == ("30.0", "rejected")
    assert problems == [
        "Occupation Data.txt: required file is missing from " + str(folder),
        "Task Statements.txt, line 1: unexpected columns [O*NET-SOC Code, Task ID, Task]; expected "
        "[O*NET-SOC Code, Task ID, Task, Task Type, Incumbents Responding, Date, Domain Source]",
    ]
    for _ in range(3):
        again = ticks.tick()
        assert again.run_requests == [] and again.asset_events == []
    assert len(intake()) == 1

    # Fixed by whoever dropped it: the changed files are looked at again, and registered.
    statements.unlink()
    statements.symlink_to(ONET_DATA / "db_30_0_text" / "Task Statements.txt")
    (folder / "Occupation Data.txt").symlink_to(ONET_DATA / "db_30_0_text" / "Occupation Data.txt")
    assert ticks.requested() == ["30.0"]
    assert [(v, s) for v, s, _ in intake()] == [("30.0", "rejected"), ("30.0", "registered")]


def _zip_release(zip_path: Path, version: str, files: list[str]) -> None:
    folder = f"db_{version.replace('.', '_')}_text"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in files:
            zf.write(ONET_DATA / folder / name, f"{folder}/{name}")


def test_zips_are_checked_without_unpacking_and_a_corrupt_zip_is_rejected(fresh_database, landing, instance):
    _zip_release(
        landing / "db_29_1_text.zip",
        "29.1",
        ["Occupation Data.txt", "Task Statements.txt", "Work Styles.txt", "Read Me.txt"],
    )
    (landing / "db_28_3_text.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    ticks = Ticks(instance)
    assert ticks.requested() == ["29.1"]
    assert sorted(p.name for p in landing.iterdir()) == ["db_28_3_text.zip", "db_29_1_text.zip"]
    rows = {v: (s, p) for v, s, p in intake()}
    assert rows["29.1"] == ("registered", [])
    assert rows["28.3"][0] == "rejected"
    assert rows["28.3"][1][0].startswith("db_28_3_text.zip: not a readable zip")
    assert ticks.requested() == []


def test_a_zip_climbing_out_of_the_landing_folder_is_rejected_not_registered(
    fresh_database, landing, instance
):
    with zipfile.ZipFile(landing / "db_30_1_text.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("Occupation Data.txt", "Task Statements.txt", "Read Me.txt"):
            zf.write(ONET_DATA / "db_30_1_text" / name, f"../{name}")
    ticks = Ticks(instance)
    rejected = ticks.tick()
    assert rejected.run_requests == [] and rejected.dynamic_partitions_requests == []
    [(version, status, problems)] = intake()
    assert (version, status) == ("30.1", "rejected")
    assert problems == [
        "db_30_1_text.zip: a member has a '.', '..' or empty part in its path ('../Occupation Data.txt'); "
        "the archive is refused"
    ]
    assert ticks.instance.get_dynamic_partitions(data_version_partitions.name) == []
    assert [p.name for p in landing.iterdir()] == ["db_30_1_text.zip"]


def test_a_release_still_being_copied_waits(fresh_database, landing, settings_env, instance):
    settings_env(OCCURISK_LANDING_SETTLE_S=3600)
    folder = drop_release(landing, "30.1")
    (folder / "Read Me.txt").unlink()
    shutil.copy(ONET_DATA / "db_30_1_text" / "Read Me.txt", folder / "Read Me.txt")  # modified just now
    ticks = Ticks(instance)
    assert ticks.requested() == []
    assert intake() == []
    old = time.time() - 7200
    for path in folder.iterdir():  # the copy finished two hours ago
        os.utime(path, (old, old), follow_symlinks=False)
    assert ticks.requested() == ["30.1"]


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self):
        self.server.seen.append(("HEAD", self.path))
        super().do_HEAD()

    def do_GET(self):
        self.server.seen.append(("GET", self.path))
        super().do_GET()


@pytest.fixture
def onet_site(tmp_path):
    """127.0.0.1 serving a database page that links 29.1, 30.1, 31.0 and 32.0; only 31.0's zip exists."""
    root = tmp_path / "site"
    (root / "dl_files" / "database").mkdir(parents=True)
    links = "".join(
        f'<a href="/dl_files/database/db_{v}_text.zip">db_{v}_text.zip</a>\n'
        for v in ("29_1", "30_1", "31_0", "32_0")
    )
    (root / "database.html").write_text(f"<html><body><h1>O*NET Database</h1>{links}</body></html>")
    _zip_release(root / "dl_files" / "database" / "db_31_0_text.zip", "30.1", ["Occupation Data.txt"])
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_RecordingHandler, directory=root)
    )
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_online_page_finds_newer_releases_and_reports_a_dead_link_once(
    fresh_database, landing, settings_env, instance, onet_site
):
    base = f"http://127.0.0.1:{onet_site.server_address[1]}"
    settings_env(
        OCCURISK_ONET_CHECK_ONLINE=1,
        OCCURISK_ONET_DATABASE_PAGE=f"{base}/database.html",
        OCCURISK_ONET_DOWNLOAD_BASE=f"{base}/dl_files/database",
    )

    instance.add_dynamic_partitions(data_version_partitions.name, ["30.1"])
    ticks = Ticks(instance)

    first = ticks.tick()
    assert [r.partition_key for r in first.run_requests] == ["31.0"]
    assert (
        first.run_requests[0].tags["occurisk/release_source"] == f"{base}/dl_files/database/db_31_0_text.zip"
    )
    rows = {v: (s, p) for v, s, p in intake()}
    assert rows == {
        "31.0": ("registered", []),
        "32.0": ("rejected", [f"{base}/dl_files/database/db_32_0_text.zip: HTTP 404"]),
    }
    assert ticks.requested() == []
    assert ticks.requested() == []
    checked = [path for method, path in onet_site.seen if method == "HEAD"]
    # Older and registered versions are never probed; the dead link is probed once, not on every tick.
    assert sorted(checked) == ["/dl_files/database/db_31_0_text.zip", "/dl_files/database/db_32_0_text.zip"]
    assert [path for _, path in onet_site.seen].count("/database.html") == 3


def test_unreachable_page_is_a_warning_and_retried(fresh_database, landing, settings_env, instance):
    settings_env(OCCURISK_ONET_CHECK_ONLINE=1, OCCURISK_ONET_DATABASE_PAGE="http://127.0.0.1:9/database.html")
    drop_release(landing, "30.0")
    ticks = Ticks(instance)
    assert ticks.requested() == ["30.0"]  # the landing folder still works
    assert [v for v, _, _ in intake()] == ["30.0"]
