"""Where a release comes from: a folder `db_30_1_text/`, the official zip, or its URL.

Resolution for a version, first match wins:
1. OCCURISK_ONET_SOURCE — a release folder, a folder holding releases, a `db_X_Y_text.zip`, or a URL;
2. the landing folder (OCCURISK_ONET_LANDING, default .occurisk/landing) — where releases are dropped;
3. ../shared/data/onet beside the project;
4. the official zip, downloaded into the landing folder.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from occurisk_assets.lib.downloads import download
from occurisk_assets.lib.safe_archives import PUBLIC_DATA_LIMITS, UnsafeArchive, checked_members, extract_zip
from occurisk_assets.lib.settings import Settings, get_settings

RELEASE_DIR_RE = re.compile(r"^db_([0-9]+)_([0-9]+)_text$")
RELEASE_ZIP_RE = re.compile(r"^db_([0-9]+)_([0-9]+)_text\.zip$")
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


class ReleaseNotFound(Exception):
    pass


@dataclass(frozen=True)
class Release:
    folder: Path
    data_version: str
    source: str  # what it was resolved from, for the data_version table
    release_date: date | None


def version_from_name(name: str) -> str | None:
    match = RELEASE_DIR_RE.match(name) or RELEASE_ZIP_RE.match(name)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def folder_name(data_version: str) -> str:
    major, minor = data_version.split(".")
    return f"db_{major}_{minor}_text"


def read_me_facts(folder: Path) -> tuple[str | None, date | None]:
    """`Read Me.txt` says 'O*NET 30.1 Database' / 'December 2025 Release'. 30.0's copy has no Read Me."""
    read_me = folder / "Read Me.txt"
    if not read_me.exists():
        return None, None
    text = read_me.read_text(errors="replace")
    version = re.search(r"O\*NET ([0-9]+\.[0-9]+) Database", text)
    released = re.search(r"(\w+) ([0-9]{4}) Release", text)
    release_date = None
    if released and released.group(1).lower() in MONTHS:
        release_date = date(int(released.group(2)), MONTHS[released.group(1).lower()], 1)
    return (version.group(1) if version else None), release_date


def is_release_folder(path: Path) -> bool:
    return path.is_dir() and (path / "Occupation Data.txt").exists()


def _release_from_folder(folder: Path, source: str, expected_version: str | None) -> Release:
    read_me_version, release_date = read_me_facts(folder)
    version = read_me_version or version_from_name(folder.name) or expected_version
    if version is None:
        raise ReleaseNotFound(
            f"cannot tell the O*NET version of {folder} (no Read Me.txt, name not db_X_Y_text)"
        )
    if expected_version and version != expected_version:
        raise ReleaseNotFound(f"{folder} holds O*NET {version}, not {expected_version}")
    return Release(folder=folder, data_version=version, source=source, release_date=release_date)


class BrokenReleaseZip(ReleaseNotFound):
    """A zip that cannot be read or unpacked whole (truncated, corrupt), or that the safe-archive rules refuse."""


UNPACKED_FROM = ".unpacked-from-zip-sha256"  # in an unpacked folder: the checksum of the zip it came from


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def unpack_zip(zip_path: Path, into: Path) -> Path:
    """Unpack an official zip (it contains `db_X_Y_text/`) into `into`. The unpacked folder records the zip's
    checksum: the same zip is not unpacked twice, a different zip of the same name (a corrected release) is
    unpacked again and replaces the folder an earlier zip made (never a folder put there by hand). The zip is
    held to the safe-archive rules (occurisk_assets.lib.safe_archives); a refused or failed extraction leaves
    nothing behind."""
    checksum = _sha256(zip_path)
    into.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(zip_path) as zf:
            names = [info.filename for info in checked_members(zf, str(zip_path), PUBLIC_DATA_LIMITS)]
        top = {name.split("/", 1)[0] for name in names if "/" in name}
        target_name = next(iter(top)) if len(top) == 1 else zip_path.stem
        target = into / target_name
        marker = target / UNPACKED_FROM
        if target.is_symlink() or (target.exists() and not marker.is_file()):
            raise UnsafeArchive(
                str(zip_path), f"{target} exists and was not unpacked from a zip; move it away"
            )
        if is_release_folder(target) and marker.read_text().strip() == checksum:
            return target
        staging = extract_zip(zip_path, into, PUBLIC_DATA_LIMITS)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BrokenReleaseZip(
            f"{zip_path}: not a complete zip file ({exc}); download or copy it again"
        ) from exc
    except UnsafeArchive as exc:
        raise BrokenReleaseZip(str(exc)) from exc
    # Only folders made here are removed: the staging one, and one the replaced unpacking is moved into.
    replaced = Path(tempfile.mkdtemp(prefix=".replaced-", dir=into))
    try:
        inner = staging / target_name if (staging / target_name).is_dir() else staging
        (inner / UNPACKED_FROM).write_text(checksum + "\n")
        if target.exists():
            target.rename(replaced / target_name)
        inner.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(replaced, ignore_errors=True)
    return target


def fetch_zip(url: str, landing: Path) -> Path:
    """The official zip in the landing folder, downloaded once."""
    target = landing / url.rstrip("/").rsplit("/", 1)[-1]
    return target if target.exists() else download(url, target)


def _from_path(path: Path, version: str | None, landing: Path, source: str) -> Release | None:
    if is_release_folder(path):
        return _release_from_folder(path, source, version)
    if path.is_file() and path.suffix == ".zip":
        return _release_from_folder(unpack_zip(path, landing), source, version)
    if path.is_dir() and version:
        for candidate in (path / folder_name(version), path / f"{folder_name(version)}.zip"):
            if candidate.exists():
                return _from_path(candidate, version, landing, str(candidate))
    return None


def resolve_release(data_version: str | None, settings: Settings | None = None) -> Release:
    settings = settings or get_settings()
    landing = settings.landing_dir
    hint = settings.onet_source
    if hint:
        if hint.startswith(("http://", "https://")):
            url = hint if hint.endswith(".zip") else f"{hint.rstrip('/')}/{folder_name(data_version)}.zip"
            return _release_from_folder(unpack_zip(fetch_zip(url, landing), landing), url, data_version)
        found = _from_path(Path(hint).expanduser().resolve(), data_version, landing, hint)
        if found is None:
            raise ReleaseNotFound(f"OCCURISK_ONET_SOURCE={hint} holds no O*NET {data_version} release")
        return found
    if data_version is None:
        raise ReleaseNotFound("a data_version is needed when OCCURISK_ONET_SOURCE is not set")
    for base in (landing, settings.shared_onet):
        if base.is_dir():
            found = _from_path(base, data_version, landing, str(base / folder_name(data_version)))
            if found:
                return found
    url = f"{settings.onet_download_base}/{folder_name(data_version)}.zip"
    try:
        zip_path = fetch_zip(url, landing)
    except (httpx.HTTPError, OSError) as exc:
        raise ReleaseNotFound(
            f"O*NET {data_version} is not in {landing} or {settings.shared_onet}, "
            f"and downloading {url} failed: {exc}"
        ) from exc
    return _release_from_folder(unpack_zip(zip_path, landing), url, data_version)
