"""Importing a JSON Lines and a CSV file of schema.org JobPostings, and the USAJOBS connector against a
local server answering its documented JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from occurisk_assets.lib import db
from occurisk_assets.postings.cleaning import clean_postings
from occurisk_assets.postings.importing import ImportFormatError, import_file
from occurisk_assets.postings.usajobs import UsajobsClient, UsajobsError, fetch_usajobs
from tests.postings.fake_usajobs import API_KEY, EMAIL, FakeUsajobs

WELDER = {
    "@type": "JobPosting",
    "title": "Welder - Structural Steel",
    "description": "<p>Fabrication shop, day shift.</p><ul><li>Weld components in flat, vertical, or overhead positions</li>"
    "<li>Inspect welds for quality using gauges and measuring tools</li></ul>",
    "hiringOrganization": {"@type": "Organization", "name": "Ironworks Fabrication"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Gary", "addressRegion": "IN"}},
    "datePosted": "2026-11-28",
    "employmentType": "FULL_TIME",
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"minValue": 24, "maxValue": 31, "unitText": "HOUR"},
    },
    "identifier": {"@type": "PropertyValue", "name": "Ironworks", "value": "W-17"},
}
PHARMACY_TECH = {
    "title": "Pharmacy Technician",
    "description": "Fill prescriptions, count tablets and label bottles; answer customer questions at the counter.",
    "hiringOrganization": "Corner Drug",
    "url": "https://jobs.example.org/pharmacy-tech",
}
NO_DESCRIPTION = {
    "title": "Forklift Operator",
    "hiringOrganization": "Depot One",
    "url": "https://jobs.example.org/f",
}


def write_jsonl(path: Path) -> Path:
    lines = [
        json.dumps(WELDER),
        json.dumps(PHARMACY_TECH),
        "{not json",
        "",
        json.dumps(NO_DESCRIPTION),
        "[1, 2]",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_jsonl_import_reports_bad_lines_and_never_duplicates(module_database, tmp_path):
    path = write_jsonl(tmp_path / "postings.jsonl")
    with db.connect(autocommit=True) as conn:
        report = import_file(conn, path)
        assert (report.n_records, report.inserted, report.seen_again) == (3, 3, 0)
        assert report.errors == [
            "postings.jsonl:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
            "postings.jsonl:6: expected a JSON object, got list",
        ]
        again = import_file(conn, path)
        assert (again.inserted, again.seen_again) == (0, 3)
        rows = conn.execute(
            """SELECT source_key, origin, hiring_organization, job_location, base_salary, employment_type
               FROM postings.posting WHERE source = 'file' ORDER BY origin"""
        ).fetchall()
        assert rows == [
            ("id:Ironworks:W-17", "postings.jsonl:1", "Ironworks Fabrication", "Gary, IN",
             {"currency": "USD", "min": 24, "max": 31, "unit": "HOUR"}, "FULL_TIME"),
            ("url:https://jobs.example.org/pharmacy-tech", "postings.jsonl:2", "Corner Drug", None, None, None),
            ("url:https://jobs.example.org/f", "postings.jsonl:5", "Depot One", None, None, None),
        ]  # fmt: skip
        counts = clean_postings(conn)
        assert counts == {"accepted": 2, "rejected: missing description": 1}
        duties = conn.execute(
            "SELECT duties FROM postings.posting WHERE source_key = 'id:Ironworks:W-17'"
        ).fetchone()
        assert duties == (["Weld components in flat, vertical, or overhead positions",
                           "Inspect welds for quality using gauges and measuring tools"],)  # fmt: skip
        # Received again unchanged, the postings keep what cleaning found (the duties listed in the HTML).
        assert import_file(conn, path).seen_again == 3
        assert conn.execute(
            "SELECT duties, status FROM postings.posting WHERE source_key = 'id:Ironworks:W-17'"
        ).fetchone() == (duties[0], "accepted")
        assert clean_postings(conn) == {}
        # A changed posting is re-cleaned; the unchanged ones keep their results.
        changed = dict(
            PHARMACY_TECH, description="Fill prescriptions and manage the pharmacy inventory system."
        )
        path.write_text(json.dumps(changed) + "\n")
        assert import_file(conn, path).seen_again == 1
        assert clean_postings(conn) == {"accepted": 1}


def test_csv_import_and_the_cli(module_database, tmp_path):
    path = tmp_path / "board.csv"
    path.write_text(
        "title,description,hiringOrganization,baseSalary,identifier\n"
        'Line Cook,"Prepare food to order, keep the station clean",Harbor Grill,"{""currency"": ""USD"", ""value"": 18}",LC-1\n'
        "Barista,,Bean There,,B-2\n"
        "Host,Greet guests,Harbor Grill,,H-3,extra\n"
    )
    occurisk = Path(sys.executable).parent / "occurisk"
    result = subprocess.run(
        [str(occurisk), "postings", "import", str(path)],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "board.csv:4: more cells than header columns" in result.stderr
    assert "board.csv: 2 postings read, 2 new, 0 already known, 1 lines not readable" in result.stdout
    assert "cleaned: accepted 1, rejected: missing description 1" in result.stdout
    assert "not coded:" in result.stderr  # said, not silent
    with db.connect() as conn:
        salary = conn.execute(
            "SELECT base_salary FROM postings.posting WHERE source_key = 'id:LC-1'"
        ).fetchone()
    assert salary == ({"currency": "USD", "value": 18},)
    (tmp_path / "notes.txt").write_text("x")
    with db.connect() as conn, pytest.raises(ImportFormatError, match=r"notes.txt: unknown format"):
        import_file(conn, tmp_path / "notes.txt")


def test_usajobs_connector_pages_retries_and_maps_to_job_postings(module_database):
    with FakeUsajobs(n_items=5, per_page=3) as fake, db.connect(autocommit=True) as conn:
        client = UsajobsClient(SecretStr(API_KEY), EMAIL, fake.base_url)
        report = fetch_usajobs(conn, client, {"Keyword": "medical"}, max_pages=5)
        assert (report.pages, report.items, report.inserted) == (2, 5, 5)
        assert [r["query"].get("Page") for r in fake.requests] == ["1", "1", "2"]  # 503, retried, then page 2
        headers = fake.requests[-1]["headers"]
        assert headers["User-Agent"] == EMAIL and headers["Authorization-Key"] == API_KEY
        assert headers["Host"] == "127.0.0.1"
        assert fake.requests[-1]["query"]["Keyword"] == "medical"
        row = conn.execute(
            """SELECT title, hiring_organization, job_location, employment_type, base_salary, url, duties
               FROM postings.posting WHERE source = 'usajobs' AND source_key = '800002'"""
        ).fetchone()
        assert row == (
            "IT Specialist (SYSADMIN)",
            "Veterans Health Administration",
            "Denver, Colorado",
            "FULL_TIME",
            {"currency": "USD", "min": "43033.0", "max": "55942.0", "unit": "Per Year"},
            "https://www.usajobs.gov:443/GetJob/ViewDetails/800002",
            [
                "Installs, configures and maintains servers and operating systems",
                "Monitors system performance",
            ],
        )
        assert fetch_usajobs(conn, client, {"Keyword": "medical"}).seen_again == 5  # no duplicates
        bad = UsajobsClient(SecretStr("wrong"), EMAIL, fake.base_url)
        with pytest.raises(UsajobsError, match="refused the key"):
            fetch_usajobs(conn, bad, {})


def test_lines_postgresql_cannot_store_are_reported_and_the_rest_imported(module_database, tmp_path):
    """Python's json reads NaN, Infinity, 1e999 and \\u0000, and a file can hold a line in another encoding:
    each is that line's error, never the whole import's."""
    path = tmp_path / "odd.jsonl"
    good = json.dumps({"title": "Baker", "description": "Bake bread before dawn", "identifier": "ODD-1"})
    path.write_bytes(
        "\n".join(
            [
                good,
                '{"title": "Cook", "baseSalary": NaN}',
                '{"title": "Cook", "baseSalary": -Infinity}',
                '{"title": "Cook", "baseSalary": 1e999}',
                '{"title": "Co\\u0000ok"}',
            ]
        ).encode()
        + b'\n{"title": "Caf\xe9"}\n'
    )
    with db.connect(autocommit=True) as conn:
        report = import_file(conn, path)
        assert report.errors == [
            "odd.jsonl:2: NaN is not a number JSON allows",
            "odd.jsonl:3: -Infinity is not a number JSON allows",
            "odd.jsonl:4: the number 1e999 is too large",
            "odd.jsonl:5: contains a NUL character (\\u0000), which cannot be stored",
            "odd.jsonl:6: not UTF-8 text (byte 0xe9 at column 15)",
        ]
        assert (report.n_records, report.inserted) == (1, 1)
        (title,) = conn.execute("SELECT title FROM postings.posting WHERE source_key = 'id:ODD-1'").fetchone()
        assert title == "Baker"

        table = tmp_path / "odd.csv"
        table.write_bytes(
            b"title,description,identifier\nPorter,Carry bags,ODD-2\nNi\x00ght porter,Desk,ODD-3\n"
        )
        report = import_file(conn, table)
        assert report.errors == ["odd.csv:3: contains a NUL character (\\u0000), which cannot be stored"]
        assert report.inserted == 1
        (n_before,) = conn.execute("SELECT count(*) FROM postings.posting").fetchone()
        table.write_bytes(
            b"title,description,identifier\nWaiter,Serve tables,ODD-4\nCaf\xe9 hand,Coffee,ODD-5\n"
        )
        with pytest.raises(
            ImportFormatError, match=r"^odd.csv:3: not UTF-8 text \(byte 0xe9\); save the file"
        ):
            import_file(conn, table)
        assert conn.execute("SELECT count(*) FROM postings.posting").fetchone() == (
            n_before,
        )  # nothing half-done


def test_a_deeply_nested_line_and_a_surrogate_line_cost_only_themselves(module_database, tmp_path):
    """json.loads raises RecursionError on deep nesting (no ValueError), and reads \\ud800 (valid JSON, no
    Unicode text) into a string PostgreSQL cannot take: each was the whole import's failure."""
    path = tmp_path / "hostile.jsonl"
    lines = [
        json.dumps({"title": "Baker", "identifier": "HOSTILE-1"}),
        '{"title": "Cook", "baseSalary": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"title": "Cook \\ud800 nights", "identifier": "HOSTILE-2"}',
        '{"title": "Cook", "extra": ' + "[" * 65 + "]" * 65 + "}",  # parses, but no posting nests so
        json.dumps({"title": "Butcher", "identifier": "HOSTILE-3"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    table = tmp_path / "hostile.csv"
    table.write_text(
        "title,description,identifier\n"
        f"Porter,{'[' * 100_000},HOSTILE-4\n"  # not JSON after all: kept as the text it is
        'Night porter,"{""a"": ""\\udc00""}",HOSTILE-5\n'
    )
    with db.connect(autocommit=True) as conn:
        report = import_file(conn, path)
        assert report.errors == [
            "hostile.jsonl:2: nests JSON deeper than 64 levels",
            "hostile.jsonl:3: contains an unpaired surrogate (\\ud800-\\udfff), which is not Unicode text",
            "hostile.jsonl:4: nests JSON deeper than 64 levels",
        ]
        assert (report.n_records, report.inserted) == (2, 2)
        report = import_file(conn, table)
        assert report.errors == []
        assert report.inserted == 2
        titles = conn.execute(
            "SELECT title FROM postings.posting WHERE source_key LIKE 'id:HOSTILE-%' ORDER BY source_key"
        ).fetchall()
        assert titles == [("Baker",), ("Butcher",), ("Porter",), ("Night porter",)]
