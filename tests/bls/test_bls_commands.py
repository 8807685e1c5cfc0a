"""`occurisk bls-load` (a Dagster run of the BLS assets), and fetching workbooks that are not on disk (from a local HTTP server standing in
for bls.gov, serving the real workbook in the official zip layout)."""

from __future__ import annotations

import functools
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from occurisk_assets.bls.commands import bls_load
from occurisk_assets.bls.loader import load_oews
from occurisk_assets.bls.sources import (
    PROJECTIONS,
    BlsSourceNotFound,
    OewsRelease,
    landing_dir,
    oews_workbook,
    official_workbook,
)
from occurisk_assets.lib import db
from occurisk_assets.lib.settings import Settings


def test_bls_load_command(fresh_database):
    result = CliRunner().invoke(bls_load, ["--oews", "2024-05", "--oews", "2023-05", "--projections"])
    assert result.exit_code == 0, result.output
    # What it loaded, after the run's log lines (stderr).
    lines = [line for line in result.output.splitlines() if line.startswith("bls.")]
    assert len(lines) == 6
    assert lines[0].startswith("bls.bls_oews_metrics 2024-05: 1396 rows from ")
    assert lines[1].startswith("bls.bls_oews_metrics 2023-05: 1396 rows from ")
    assert lines[2].startswith("bls.bls_proj_metrics 2024-2034: 1113 rows from ")
    assert lines[3].startswith("bls.nem_onet_crosswalk 2024-2034: 997 rows from ")
    assert lines[4].startswith("bls.nem_occupational_coverage 2024-2034: 1113 rows from ")
    assert lines[5].startswith("bls.soc_2010_2018_crosswalk: 900 rows from ")
    again = CliRunner().invoke(bls_load, ["--oews", "2024-05"])
    assert again.exit_code == 0
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM bls.bls_oews_metrics").fetchone()[0] == 2 * 1396


def test_bls_load_link_without_marts_is_a_clear_error(fresh_database):
    result = CliRunner().invoke(bls_load, ["--link", "30.1"])
    assert result.exit_code == 1
    assert "marts.occupation_master does not exist" in result.output


def test_bls_load_rejects_a_bad_release(fresh_database):
    result = CliRunner().invoke(bls_load, ["--oews", "2024-06"])
    assert result.exit_code == 2
    assert "Invalid value for '--oews': OEWS release '2024-06': expected 'YYYY-05'" in result.output


class CountingHandler(SimpleHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 — http.server's naming
        CountingHandler.requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_bls(tmp_path, bls_dir):
    """A local server laid out like bls.gov, with the May 2024 zip as BLS publishes it."""
    site = tmp_path / "site"
    (site / "oes" / "special-requests").mkdir(parents=True)
    with zipfile.ZipFile(site / "oes" / "special-requests" / "oesm24nat.zip", "w") as archive:
        archive.write(bls_dir / "oews" / "national_M2024_dl.xlsx", "oesm24nat/national_M2024_dl.xlsx")
    # What bls.gov sends to a client it refuses: a web page, with status 200.
    (site / "emp" / "ind-occ-matrix").mkdir(parents=True)
    (site / "emp" / "ind-occ-matrix" / "occupation.xlsx").write_text(
        "<html><body>Access Denied</body></html>"
    )
    CountingHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_missing_workbook_is_downloaded_once_into_landing(fresh_database, tmp_path, fake_bls, bls_dir):
    settings = Settings(bls_dir=tmp_path / "empty", home=tmp_path / "home")
    release = OewsRelease.parse("2024-05")
    path = oews_workbook(release, settings, base_url=fake_bls)
    assert path == landing_dir(settings) / "oews" / "national_M2024_dl.xlsx"
    assert path.read_bytes() == (bls_dir / "oews" / "national_M2024_dl.xlsx").read_bytes()
    assert CountingHandler.requests == ["/oes/special-requests/oesm24nat.zip"]
    assert oews_workbook(release, settings, base_url=fake_bls) == path  # found in landing: no second request
    assert CountingHandler.requests == ["/oes/special-requests/oesm24nat.zip"]
    assert load_oews("2024-05", workbook=path).rows == 1396


def test_unavailable_download_names_the_url(tmp_path, fake_bls):
    settings = Settings(bls_dir=tmp_path / "empty", home=tmp_path / "home")
    with pytest.raises(
        BlsSourceNotFound,
        match=r"OEWS 2023-05: oews/national_M2023_dl.xlsx is in neither .* "
        r"and downloading http://127.0.0.1:\d+/oes/special-requests/"
        r"oesm23nat.zip failed: .*404",
    ):
        oews_workbook(OewsRelease.parse("2023-05"), settings, base_url=fake_bls)
    assert not list((tmp_path / "home").rglob("*.xlsx"))  # nothing half-written left behind


def test_a_web_page_instead_of_a_workbook_is_not_kept(tmp_path, fake_bls):
    settings = Settings(bls_dir=tmp_path / "empty", home=tmp_path / "home")
    with pytest.raises(BlsSourceNotFound, match=r"occupation.xlsx: .* did not return a zip or xlsx file"):
        official_workbook(PROJECTIONS, settings, base_url=fake_bls)
    assert [p.name for p in (tmp_path / "home").rglob("*") if p.is_file()] == []
