"""POST /api/v1/resumes/parse: text and uploads (.txt, .docx, .pdf) → jobs with occupations and proposed
tasks; unsafe or broken files → a 4xx naming the problem."""

from __future__ import annotations

import io
import zipfile

import docx

from occurisk_assets.assistant.documents import MAX_UPLOAD_BYTES, text_pdf
from occurisk_assets.assistant.parsing import split_jobs

API = "/api/v1"
RESUME = """Jane Example
EXPERIENCE
Customer Service Representative, Acme Telecom   1999 - 2024
- Answered customer calls about bills and service problems
- Resolved billing complaints and issued refunds
Truck driver at Road Freight (1990 to 1999)
- Drove tractor-trailer trucks on long-haul routes
EDUCATION
High school diploma
"""


def test_split_jobs_reads_years_titles_and_employers():
    jobs = split_jobs(RESUME)
    assert [(j.title, j.employer, j.start_year, j.end_year) for j in jobs] == [
        ("Customer Service Representative", "Acme Telecom", 1999, 2024),
        ("Truck driver", "Road Freight", 1990, 1999),
    ]
    assert jobs[0].duties[1] == "Resolved billing complaints and issued refunds" and len(jobs[1].duties) == 1
    [one] = split_jobs("I was a customer service rep for 25 years. I answered calls all day.")
    assert (
        one.title == "customer service rep"
        and one.start_year is None
        and one.duties == ["I answered calls all day."]
    )


def _check_parsed(body: dict) -> None:
    first, second = body["jobs"]
    assert first["occupations"][0]["soc_code"] == "43-4051"
    assert second["occupations"][0]["soc_code"] == "53-3032"
    assert 0 < first["occupations"][0]["confidence"] <= 1
    assert first["proposed_tasks"] and all(t["similarity"] > 0 for t in first["proposed_tasks"])
    assert first["employer"] == "Acme Telecom" and first["start_year"] == 1999


def test_parse_text(assistant_client):
    response = assistant_client.post(f"{API}/resumes/parse", json={"text": RESUME})
    assert response.status_code == 200, response.text
    _check_parsed(response.json())
    spoken = assistant_client.post(
        f"{API}/resumes/parse", json={"text": "I was a customer service rep for 25 years."}
    ).json()
    assert spoken["jobs"][0]["occupations"][0]["soc_code"] == "43-4051"


def _docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_parse_uploads(assistant_client):
    for name, data in (
        ("cv.txt", RESUME.encode()),
        ("cv.docx", _docx(RESUME)),
        ("cv.pdf", text_pdf(RESUME)),
    ):
        response = assistant_client.post(f"{API}/resumes/parse", files={"file": (name, data)})
        assert response.status_code == 200, (name, response.text)
        _check_parsed(response.json())


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(name, content)
    return out.getvalue()


def test_unsafe_or_broken_uploads_are_refused(assistant_client):
    good = _docx(RESUME)
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        body = z.read("word/document.xml")
    xxe = body.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, xxe if item.filename == "word/document.xml" else src.read(item))
    cases = [
        (("cv.docx", b"PK\x03\x04 not really a zip"), 422, "not a valid .docx"),
        (("cv.docx", _with_member(good, "word/vbaProject.bin", b"\x00" * 10)), 422, "contains macros"),
        (("cv.docx", out.getvalue()), 422, "XML entities"),
        (("cv.docm", good), 422, "macro-enabled"),
        (("cv.pdf", b"%PDF-1.7 broken"), 422, "not a valid PDF"),
        (("cv.txt", b"\xff\xfe\xfa bad"), 422, "not UTF-8"),
        (("cv.exe", b"MZ"), 415, "unsupported type"),
        (("cv.txt", b"a" * (MAX_UPLOAD_BYTES + 1)), 413, "the file is larger than the limit of 2 MB"),
    ]
    for file, status, message in cases:
        response = assistant_client.post(f"{API}/resumes/parse", files={"file": file})
        assert response.status_code == status and message in response.text, (file[0], response.text)
    assert assistant_client.post(f"{API}/resumes/parse", json={"text": ""}).status_code == 422
