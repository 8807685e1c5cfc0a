"""Which BLS release a partition key names, and where its workbook comes from.

For every workbook, first match wins:
1. the BLS data folder (OCCURISK_BLS_DIR, default ../shared/data/bls), laid out as `oews/`, `crosswalks/`,
   `occupation.xlsx`;
2. the landing folder `<OCCURISK_HOME>/landing/bls`, same layout — where downloads go;
3. the official file from bls.gov, downloaded into the landing folder (OEWS comes as a zip, unpacked there).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from occurisk_assets.bls.workbook import BlsFileError
from occurisk_assets.lib.downloads import download
from occurisk_assets.lib.safe_archives import PUBLIC_DATA_LIMITS, UnsafeArchive, checked_members
from occurisk_assets.lib.settings import Settings, get_settings

BLS_BASE_URL = "https://www.bls.gov"
# bls.gov answers 403 to clients that do not say who they are.

OEWS_REF_YEAR_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
PROJECTION_PERIOD = re.compile(r"^([0-9]{4})-([0-9]{4})$")


class BlsSourceNotFound(Exception):
    """No copy of a BLS workbook could be found or downloaded."""


@dataclass(frozen=True)
class OewsRelease:
    """An OEWS national release. The reference month of the annual estimates is always May."""

    ref_year_month: str

    @classmethod
    def parse(cls, ref_year_month: str) -> OewsRelease:
        match = OEWS_REF_YEAR_MONTH.match(ref_year_month)
        if not match or match.group(2) != "05":
            raise ValueError(f"OEWS release {ref_year_month!r}: expected 'YYYY-05' (the May reference month)")
        return cls(ref_year_month)

    @property
    def year(self) -> int:
        return int(self.ref_year_month[:4])

    @property
    def sheet_name(self) -> str:
        return f"national_M{self.year}_dl"

    @property
    def workbook_path(self) -> str:
        return f"oews/{self.sheet_name}.xlsx"

    @property
    def zip_name(self) -> str:
        return f"oesm{self.year % 100:02d}nat.zip"

    def zip_url(self, base_url: str = BLS_BASE_URL) -> str:
        return f"{base_url}/oes/special-requests/{self.zip_name}"


@dataclass(frozen=True)
class ProjectionPeriod:
    """An Employment Projections period such as '2024-2034' (base year 2024, projected year 2034)."""

    period: str

    @classmethod
    def parse(cls, period: str) -> ProjectionPeriod:
        match = PROJECTION_PERIOD.match(period)
        if not match or int(match.group(2)) <= int(match.group(1)):
            raise ValueError(f"projection period {period!r}: expected 'YYYY-YYYY', e.g. '2024-2034'")
        return cls(period)

    @property
    def base_year(self) -> int:
        return int(self.period[:4])

    @property
    def projected_year(self) -> int:
        return int(self.period[5:])

    @property
    def short(self) -> str:
        """How the workbook writes the period in its headers: '2024-34'."""
        return f"{self.base_year}-{self.projected_year % 100:02d}"


@dataclass(frozen=True)
class Workbook:
    """A BLS workbook by its path under the BLS data folder and its official URL."""

    path: str
    url_path: str


PROJECTIONS = Workbook("occupation.xlsx", "/emp/ind-occ-matrix/occupation.xlsx")
NEM_ONET_CROSSWALK = Workbook(
    "crosswalks/nem_onet_to_soc_crosswalk.xlsx",
    "/emp/classifications-crosswalks/nem-onet-to-soc-crosswalk.xlsx",
)
NEM_COVERAGE = Workbook(
    "crosswalks/nem_occupational_coverage.xlsx",
    "/emp/classifications-crosswalks/nem-occupational-coverage.xlsx",
)
SOC_2010_2018_CROSSWALK = Workbook(
    "crosswalks/soc_2010_to_2018_crosswalk.xlsx", "/soc/2018/soc_2010_to_2018_crosswalk.xlsx"
)


def landing_dir(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).home / "landing" / "bls"


def download_archive(url: str, target: Path) -> Path:
    """Download a .zip or .xlsx (both zip archives): bls.gov answers some refused requests with an HTML page."""
    download(url, target)
    if not zipfile.is_zipfile(target):
        target.unlink()
        raise zipfile.BadZipFile(f"{url} did not return a zip or xlsx file")
    return target


def extract_member(zip_path: Path, member_name: str, target: Path) -> Path:
    """Copy the member called `member_name` (in whatever folder of the zip) to `target`; the zip is held to
    the safe-archive rules first (occurisk_assets.lib.safe_archives)."""
    with zipfile.ZipFile(zip_path) as archive:
        try:
            checked = checked_members(archive, str(zip_path), PUBLIC_DATA_LIMITS)
        except UnsafeArchive as exc:
            raise BlsFileError(str(exc)) from exc
        members = [m for m in checked if m.filename.rsplit("/", 1)[-1] == member_name]
        if not members:
            raise BlsFileError(
                f"{zip_path}: no {member_name} inside (members: {', '.join(archive.namelist())})"
            )
        partial = target.with_name(target.name + ".part")
        with archive.open(members[0]) as src, open(partial, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    partial.replace(target)
    return target


def _locate(relative: str, what: str, url: str, fetch: Callable[[Path], Path], settings: Settings) -> Path:
    bases = [settings.bls_data_dir, landing_dir(settings)]
    for base in bases:
        if (base / relative).is_file():
            return base / relative
    try:
        return fetch(landing_dir(settings) / relative)
    except (httpx.HTTPError, OSError, zipfile.BadZipFile) as exc:
        raise BlsSourceNotFound(
            f"{what}: {relative} is in neither {bases[0]} nor {bases[1]}, and downloading {url} failed: {exc}"
        ) from exc


def oews_workbook(
    release: OewsRelease, settings: Settings | None = None, base_url: str = BLS_BASE_URL
) -> Path:
    settings = settings or get_settings()
    url = release.zip_url(base_url)

    def fetch(target: Path) -> Path:
        zip_path = download_archive(url, target.with_name(release.zip_name))
        return extract_member(zip_path, target.name, target)

    return _locate(release.workbook_path, f"OEWS {release.ref_year_month}", url, fetch, settings)


def official_workbook(
    workbook: Workbook, settings: Settings | None = None, base_url: str = BLS_BASE_URL
) -> Path:
    settings = settings or get_settings()
    url = base_url + workbook.url_path
    return _locate(workbook.path, workbook.path, url, lambda target: download_archive(url, target), settings)
