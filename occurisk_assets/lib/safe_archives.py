"""The rules every archive the platform opens is held to: release and BLS zips, .docx uploads, the files a
retention archive lists.

The member list is checked before a byte is unpacked, and one bad member refuses the whole archive with an
error naming it: a path that is absolute, has a `.`, `..` or empty part or a backslash (it could land outside
the folder it is unpacked into), a symbolic link or device file, a name seen twice, a member or a total
over the limits, too many members, or a member that compresses suspiciously well (a zip bomb). Unpacking goes
into a new folder made here inside the caller's folder; on failure only that folder is removed.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

RATIO_FLOOR_BYTES = 1 << 20  # smaller members cannot hurt whatever their compression ratio


class UnsafeArchive(ValueError):
    """An archive refused by these rules. `reason` says why without naming the archive or the member (an
    uploader's text); the message names both."""

    def __init__(self, archive: str, reason: str, member: str | None = None):
        shown = f" ({member[:100]!r})" if member is not None else ""
        super().__init__(f"{archive}: {reason}{shown}; the archive is refused")
        self.reason = reason


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int = 100  # uncompressed : compressed; real text and XML compress less than 20:1


# O*NET text releases (about 40 files, the largest tens of MB) and BLS zips (a few workbooks).
PUBLIC_DATA_LIMITS = ArchiveLimits(max_members=1_000, max_member_bytes=1 << 30, max_total_bytes=4 << 30)


def _member_parts(archive: str, name: str) -> list[str]:
    """The path parts of a member name that can only land inside the folder it is unpacked into."""
    if name.startswith("/"):
        raise UnsafeArchive(archive, "a member has an absolute path", name)
    if "\\" in name or "\0" in name:
        raise UnsafeArchive(archive, "a member has a backslash or NUL in its name", name)
    parts = name.removesuffix("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafeArchive(archive, "a member has a '.', '..' or empty part in its path", name)
    return parts


def checked_members(zf: zipfile.ZipFile, archive: str, limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    """Every member of `zf` after the checks above, or UnsafeArchive naming `archive`. The sizes checked are
    the declared ones: zipfile never reads past a member's declared size (and fails on its CRC)."""
    members = zf.infolist()
    if len(members) > limits.max_members:
        raise UnsafeArchive(archive, f"it has {len(members):,} members; the limit is {limits.max_members:,}")
    seen: set[tuple[str, ...]] = set()
    total = 0
    for info in members:
        parts = tuple(_member_parts(archive, info.filename))
        name = info.filename
        if parts in seen:
            raise UnsafeArchive(archive, "a member name appears twice", name)
        seen.add(parts)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise UnsafeArchive(archive, "a member is a symbolic link", name)
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise UnsafeArchive(archive, "a member is a device or special file", name)
        size, ratio = info.file_size, info.file_size // max(info.compress_size, 1)
        if size > limits.max_member_bytes:
            raise UnsafeArchive(
                archive, f"a member unpacks to {size:,} bytes; the limit is {limits.max_member_bytes:,}", name
            )
        if size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise UnsafeArchive(
                archive,
                f"a member compresses {ratio:,}:1 (a zip bomb); the limit is {limits.max_ratio}:1",
                name,
            )
        total += size
        if total > limits.max_total_bytes:
            raise UnsafeArchive(archive, f"it unpacks to more than {limits.max_total_bytes:,} bytes")
    return members


def path_inside(folder: Path, name: str, archive: str) -> Path:
    """`folder / name`, resolved, refused unless it stays inside `folder` (no `..`, no absolute path, no
    symbolic link on the way)."""
    root = folder.resolve()
    path = root.joinpath(*_member_parts(archive, name))
    if path.resolve() != path or not path.is_relative_to(root):
        raise UnsafeArchive(archive, f"a path leads outside {folder} through a symbolic link", name)
    return path


def extract_zip(zip_path: Path, parent: Path, limits: ArchiveLimits) -> Path:
    """Unpack `zip_path` into a new folder made inside `parent` (named `.unpacking-…`, which the landing
    sensor skips); returns it. When anything is refused or broken, that folder is removed and nothing else."""
    folder = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=parent))
    try:
        with zipfile.ZipFile(zip_path) as zf:
            for info in checked_members(zf, str(zip_path), limits):
                target = path_inside(folder, info.filename, str(zip_path))
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "xb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder
