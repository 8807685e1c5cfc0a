"""Finding O*NET releases: in the landing folder (`db_X_Y_text/` folders or official zips) and on the official
database page; and the cheap checks a release must pass before it is registered as a data_version."""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from occurisk_assets.lib.safe_archives import PUBLIC_DATA_LIMITS, UnsafeArchive, checked_members
from occurisk_assets.onet.files import NON_DATA_FILES, REQUIRED_FILES, SPEC_BY_FILE
from occurisk_assets.onet.loader import ReleaseFileError, check_header
from occurisk_assets.onet.sources import RELEASE_ZIP_RE, folder_name, read_me_facts, version_from_name
from occurisk_assets.versions import version_sort_key

ZIP_LINK_RE = re.compile(r"""href\s*=\s*["']([^"']*?db_([0-9]+)_([0-9]+)_text\.zip)["']""", re.IGNORECASE)
HTTP_TIMEOUT_S = 20


@dataclass(frozen=True)
class Candidate:
    """A release seen somewhere; its fingerprint changes when its content does."""

    data_version: str
    source: str  # the folder, zip or URL, as shown to people
    fingerprint: str
    path: Path | None = None
    url: str | None = None


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    settling: list[str] = field(default_factory=list)  # still being written; looked at again next time
    errors: list[str] = field(default_factory=list)  # transient (network): retried next time


def _stat_fingerprint(paths: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256()
    for name, path in sorted(paths):
        st = path.stat()
        digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _entry_files(entry: Path) -> list[tuple[str, Path]]:
    if entry.is_file():
        return [(entry.name, entry)]
    return [(str(p.relative_to(entry)), p) for p in entry.rglob("*") if p.is_file()]


def landing_candidates(landing: Path, settle_s: float, now: float | None = None) -> Discovery:
    """Release folders and zips in `landing`, one per version (a folder wins over its zip).

    An entry modified less than `settle_s` ago is still being copied and is left for the next evaluation.
    """
    now = time.time() if now is None else now
    found: dict[str, Candidate] = {}
    discovery = Discovery()
    if not landing.is_dir():
        return discovery
    for entry in sorted(landing.iterdir()):
        if entry.name.startswith("."):  # unpacking / partial downloads
            continue
        # Named as O*NET names them (db_30_1_text/, db_30_1_text.zip): that is how the loader finds them.
        version = version_from_name(entry.name)
        if version is None or not (entry.is_dir() or RELEASE_ZIP_RE.match(entry.name)):
            continue
        files = _entry_files(entry)
        # lstat: when the entry was written here (a symlinked file is complete once the link exists).
        newest = max((p.lstat().st_mtime for _, p in files), default=entry.lstat().st_mtime)
        if now - newest < settle_s:
            discovery.settling.append(str(entry))
            continue
        candidate = Candidate(version, str(entry), _stat_fingerprint(files), path=entry)
        if version not in found or entry.is_dir():
            found[version] = candidate
    discovery.candidates = list(found.values())
    return discovery


def page_versions(html: str, page_url: str) -> dict[str, str]:
    """The release zips an O*NET database page links to: version → absolute URL."""
    return {f"{m.group(2)}.{m.group(3)}": urljoin(page_url, m.group(1)) for m in ZIP_LINK_RE.finditer(html)}


def _http(url: str, method: str) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": "occurisk-release-sensor"})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def online_candidates(page_url: str, download_base: str, newer_than: tuple[int, ...] | None) -> Discovery:
    """Versions listed on the O*NET database page that are newer than `newer_than` (all when None).

    The run fetches `download_base/db_X_Y_text.zip` (where the loader always downloads from), so that is the
    URL recorded and checked."""
    discovery = Discovery()
    try:
        with urllib.request.urlopen(
            urllib.request.Request(page_url, headers={"User-Agent": "occurisk-release-sensor"}),
            timeout=HTTP_TIMEOUT_S,
        ) as response:
            html = response.read().decode("utf-8", errors="replace")
    except (OSError, ValueError) as exc:
        discovery.errors.append(f"cannot read the O*NET database page {page_url}: {exc}")
        return discovery
    for version in sorted(page_versions(html, page_url), key=version_sort_key):
        if newer_than is not None and version_sort_key(version) <= newer_than:
            continue
        url = f"{download_base.rstrip('/')}/{folder_name(version)}.zip"
        discovery.candidates.append(Candidate(version, url, f"url:{url}", url=url))
    return discovery


def _zip_first_lines(path: Path) -> dict[str, bytes]:
    """The first line of every .txt of an official zip (its files sit in one top folder), without unpacking;
    UnsafeArchive when the zip breaks the rules the unpacking holds it to."""
    lines = {}
    with zipfile.ZipFile(path) as zf:
        for info in checked_members(zf, path.name, PUBLIC_DATA_LIMITS):
            name = info.filename.rsplit("/", 1)[-1]
            if info.is_dir() or not name.endswith(".txt"):
                continue
            with zf.open(info) as fh:
                lines[name] = fh.readline()
    return lines


def _folder_first_lines(folder: Path) -> dict[str, bytes]:
    lines = {}
    for path in folder.glob("*.txt"):
        with open(path, "rb") as fh:
            lines[path.name] = fh.readline()
    return lines


def validate_files(first_lines: dict[str, bytes], where: str) -> list[str]:
    """Problems that would make the load fail, found without the database: required files, headers."""
    problems = [
        f"{required}: required file is missing from {where}"
        for required in REQUIRED_FILES
        if required not in first_lines
    ]
    for name, line in sorted(first_lines.items()):
        if name in NON_DATA_FILES:
            continue
        try:
            header = tuple(line.decode("utf-8").rstrip("\r\n").split("\t"))
        except UnicodeDecodeError as exc:
            problems.append(str(ReleaseFileError(name, 1, f"header is not valid text ({exc.reason})")))
            continue
        spec = SPEC_BY_FILE.get(name)
        try:
            if spec is not None:
                check_header(spec, header)
            elif header == ("",):
                raise ReleaseFileError(name, 1, "empty file: no header")
        except ReleaseFileError as exc:
            problems.append(str(exc))
    return problems


def validate_candidate(candidate: Candidate) -> list[str]:
    """[] when the release may be registered; otherwise what is wrong with it, each naming the file."""
    if candidate.url is not None:
        try:
            status = _http(candidate.url, "HEAD")
            if status == 405:  # servers that refuse HEAD
                status = _http(candidate.url, "GET")
        except OSError as exc:
            return [f"{candidate.url}: not reachable ({exc})"]
        return [] if status == 200 else [f"{candidate.url}: HTTP {status}"]
    path = candidate.path
    if path.is_file():
        try:
            return validate_files(_zip_first_lines(path), path.name)
        except (zipfile.BadZipFile, OSError) as exc:
            return [f"{path.name}: not a readable zip ({exc})"]
        except UnsafeArchive as exc:
            return [str(exc)]
    problems = []
    read_me_version, _ = read_me_facts(path)
    if read_me_version and read_me_version != candidate.data_version:
        problems.append(
            f"{path.name}: Read Me.txt says O*NET {read_me_version}, the folder name says "
            f"{candidate.data_version}"
        )
    return problems + validate_files(_folder_first_lines(path), str(path))
