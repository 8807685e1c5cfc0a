"""Hostile archives, through the real code that opens each kind (occurisk_assets/lib/safe_archives.py holds the
rules): a release zip whose members climb out of the landing folder leaves OCCURISK_HOME and the landing
folder intact and fails naming the zip; links, devices, too many members and zip bombs are refused before
anything is unpacked; the same for the landing checks, BLS zips and workbooks, .docx uploads and the files a
retention archive's manifest lists."""

from __future__ import annotations

import gzip
import io
import json
import stat
import zipfile
from pathlib import Path

import docx
import pytest

from occurisk_assets.assistant.documents import UploadProblem, text_of_upload
from occurisk_assets.bls.sources import extract_member
from occurisk_assets.bls.workbook import BlsFileError, read_sheet
from occurisk_assets.lib import db
from occurisk_assets.lib.safe_archives import ArchiveLimits
from occurisk_assets.lib.settings import Settings
from occurisk_assets.lifecycle.archive import ArchiveError, restore_archive
from occurisk_assets.lifecycle.landing import Candidate, validate_candidate
from occurisk_assets.onet import sources
from occurisk_assets.onet.sources import BrokenReleaseZip, resolve_release

HEADER = "O*NET-SOC Code\tTitle\tDescription\r\n"
OCCUPATIONS = HEADER + "11-1011.00\tChief Executives\tLeads.\r\n"


def hostile_zip(path: Path, members: dict[str, bytes | str], links: tuple[str, ...] = ()) -> Path:
    """A zip with exactly these member names (zipfile writes them as given); `links` become symlink entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((stat.S_IFLNK | 0o777) if name in links else (stat.S_IFREG | 0o644)) << 16
            zf.writestr(info, content)
    return path


@pytest.fixture
def home(tmp_path) -> Path:
    """A throwaway OCCURISK_HOME: sentinels standing for the database files and the passwords."""
    home = tmp_path / "home"
    (home / "postgres" / "data").mkdir(parents=True)
    (home / "postgres" / "data" / "PG_VERSION").write_text("18\n")
    (home / "passwords.json").write_text('{"owner": "secret"}')
    (home / "landing").mkdir()
    return home


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("prefix", ["../", "./", "/"])
def test_a_release_zip_climbing_out_leaves_home_and_landing_intact(home, prefix):
    zip_path = hostile_zip(
        home / "landing" / "db_30_1_text.zip",
        {f"{prefix}Occupation Data.txt": OCCUPATIONS, f"{prefix}Read Me.txt": "O*NET 30.1 Database\r\n"},
    )
    before = snapshot(home)
    with pytest.raises(BrokenReleaseZip) as refused:
        resolve_release("30.1", Settings(home=home))
    assert str(refused.value).startswith(f"{zip_path}: a member has")
    assert snapshot(home) == before
    assert sorted(p.name for p in (home / "landing").iterdir()) == ["db_30_1_text.zip"]


@pytest.mark.parametrize(
    ("members", "links", "reason"),
    [
        (
            {"db_30_1_text/Occupation Data.txt": "/work/home/passwords.json"},
            ("db_30_1_text/Occupation Data.txt",),
            "a member is a symbolic link",
        ),
        (
            {f"db_30_1_text/{i}.txt": "x" for i in range(1_001)},
            (),
            "it has 1,001 members; the limit is 1,000",
        ),
        (
            {"db_30_1_text/Occupation Data.txt": b"\0" * (8 << 20)},
            (),
            "a member compresses 1,0[0-9]{2}:1 \\(a zip bomb\\)",
        ),
        ({"db_30_1_text/a.txt": "x", "db_30_1_text//a.txt": "y"}, (), "a member has a .*empty part"),
    ],
    ids=["symlink", "too-many-members", "zip-bomb", "empty-part"],
)
def test_a_release_zip_breaking_a_rule_is_refused_before_unpacking(home, members, links, reason):
    zip_path = hostile_zip(home / "landing" / "db_30_1_text.zip", members, links)
    with pytest.raises(BrokenReleaseZip, match=f"^{zip_path}: {reason}"):
        resolve_release("30.1", Settings(home=home))
    assert sorted(p.name for p in (home / "landing").iterdir()) == ["db_30_1_text.zip"]


def test_a_device_member_and_a_member_over_the_size_cap_are_refused(home, monkeypatch):
    landing = home / "landing"
    device = hostile_zip(landing / "db_30_1_text.zip", {"db_30_1_text/Occupation Data.txt": OCCUPATIONS})
    with zipfile.ZipFile(device, "a") as zf:
        info = zipfile.ZipInfo("db_30_1_text/tty")
        info.external_attr = (stat.S_IFCHR | 0o666) << 16
        zf.writestr(info, "")
    with pytest.raises(BrokenReleaseZip, match=f"^{device}: a member is a device or special file"):
        sources.unpack_zip(device, landing)

    monkeypatch.setattr(sources, "PUBLIC_DATA_LIMITS", ArchiveLimits(10, 1_000, 10_000))
    large = hostile_zip(landing / "db_30_1_text.zip", {"db_30_1_text/Occupation Data.txt": OCCUPATIONS * 50})
    with pytest.raises(
        BrokenReleaseZip,
        match=f"^{large}: a member unpacks to {len(OCCUPATIONS * 50):,} bytes; the limit is 1,000",
    ):
        sources.unpack_zip(large, landing)
    assert sorted(p.name for p in landing.iterdir()) == ["db_30_1_text.zip"]


def test_a_folder_put_in_the_landing_folder_by_hand_is_never_replaced(home):
    landing = home / "landing"
    by_hand = landing / "db_30_1_text"
    by_hand.mkdir()
    (by_hand / "notes.txt").write_text("mine")
    zip_path = hostile_zip(landing / "db_30_1_text.zip", {"db_30_1_text/Occupation Data.txt": OCCUPATIONS})
    with pytest.raises(
        BrokenReleaseZip, match=f"^{zip_path}: {by_hand} exists and was not unpacked from a zip"
    ):
        sources.unpack_zip(zip_path, landing)
    assert (by_hand / "notes.txt").read_text() == "mine"


def test_the_landing_checks_refuse_what_the_unpacking_would(tmp_path):
    zip_path = hostile_zip(tmp_path / "db_30_1_text.zip", {"../Occupation Data.txt": OCCUPATIONS})
    problems = validate_candidate(Candidate("30.1", str(zip_path), "fp", path=zip_path))
    assert problems == [
        "db_30_1_text.zip: a member has a '.', '..' or empty part in its path ('../Occupation Data.txt'); "
        "the archive is refused"
    ]


def test_bls_zips_and_workbooks_are_held_to_the_rules(tmp_path):
    zip_path = hostile_zip(tmp_path / "oesm24nat.zip", {"../national_M2024_dl.xlsx": "x"})
    target = tmp_path / "oews" / "national_M2024_dl.xlsx"
    target.parent.mkdir()
    with pytest.raises(BlsFileError, match=f"^{zip_path}: a member has a '.', '..'"):
        extract_member(zip_path, "national_M2024_dl.xlsx", target)
    assert list(target.parent.iterdir()) == []

    bomb = hostile_zip(tmp_path / "occupation.xlsx", {"xl/worksheets/sheet1.xml": b" " * (8 << 20)})
    with pytest.raises(BlsFileError, match=f"^{bomb}: a member compresses"):
        read_sheet(bomb, "Table 1.2")


def _docx_with_part(name: str, content: bytes) -> bytes:
    document = docx.Document()
    document.add_paragraph("Customer Service Representative, Acme Telecom 1999 - 2024")
    plain = io.BytesIO()
    document.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, content if item.filename == name else src.read(item))
        if name not in src.namelist():
            dst.writestr(name, content)
    return out.getvalue()


def test_a_docx_declaring_entities_after_the_first_4_kb_of_a_part_is_refused():
    padding = b"<!-- " + b"x" * 5000 + b" -->"
    late = b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r/>'
    with pytest.raises(UploadProblem, match="declares XML entities"):
        text_of_upload("cv.docx", _docx_with_part("customXml/item1.xml", late))
    wide = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e "x">]><r/>'.encode("utf-16-le")
    with pytest.raises(UploadProblem, match="declares XML entities"):
        text_of_upload("cv.docx", _docx_with_part("customXml/item2.xml", wide))
    assert "Acme Telecom" in text_of_upload("cv.docx", _docx_with_part("customXml/item3.xml", b"<r/>"))


def test_a_docx_with_a_climbing_or_bomb_part_is_refused_without_echoing_the_name():
    climbing = _docx_with_part("../../private-name.xml", b"<r/>")
    with pytest.raises(UploadProblem) as refused:
        text_of_upload("cv.docx", climbing)
    assert (
        str(refused.value)
        == "cv.docx: not an acceptable .docx: a member has a '.', '..' or empty part in its path"
    )
    with pytest.raises(UploadProblem, match=r"^cv\.docx: not an acceptable \.docx: a member compresses"):
        text_of_upload("cv.docx", _docx_with_part("word/media/blank.xml", b" " * (4 << 20)))


def _archive_listing(folder: Path, file: str, columns: list[list[str]]) -> Path:
    folder.mkdir()
    manifest = {
        "format": 1,
        "kind": "runs",
        "run_ids": [],
        "tables": [{"schema": "public", "table": "stolen", "file": file, "rows": 1, "columns": columns}],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_a_retention_archive_cannot_make_a_restore_read_elsewhere_or_inject_sql(tmp_path, fresh_database):
    outside = tmp_path / "passwords.csv.gz"
    with gzip.open(outside, "wt") as fh:
        fh.write("secret\nowner-password\n")
    climbing = _archive_listing(tmp_path / "climbing", "../passwords.csv.gz", [["secret", "text"]])
    linked = _archive_listing(tmp_path / "linked", "public.stolen.csv.gz", [["secret", "text"]])
    (linked / "public.stolen.csv.gz").symlink_to(outside)
    injecting = _archive_listing(
        tmp_path / "injecting",
        "public.stolen.csv.gz",
        [["secret", "text); CREATE TABLE public.injected (x int"]],
    )
    (injecting / "public.stolen.csv.gz").write_bytes(outside.read_bytes())
    expected = {
        climbing: f"^{climbing.resolve() / 'manifest.json'}: a member has a '.', '..' or empty part",
        linked: f"^{linked.resolve() / 'manifest.json'}: a path leads outside .* through a symbolic link",
        injecting: f"^{injecting.resolve() / 'manifest.json'}: column stolen.secret has no type PostgreSQL knows",
    }
    with db.connect() as conn:
        for folder, message in expected.items():
            with pytest.raises(ArchiveError, match=message):
                restore_archive(conn, folder)
        assert conn.execute(
            "SELECT to_regclass('public.stolen'), to_regclass('public.injected')"
        ).fetchone() == (
            None,
            None,
        )
