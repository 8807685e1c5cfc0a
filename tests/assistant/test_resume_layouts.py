"""Résumés in the layouts people use (tests/assistant/resume_fixtures.py, English and Korean): the jobs
found, field by field (title, employer, start and end year), from the text and through the API from .txt,
.docx and .pdf uploads with the occupation coder; the figures are in docs/methodology.md."""

from __future__ import annotations

from fpdf import FPDF

from occurisk_assets.assistant.documents import text_docx, text_of_upload, text_pdf
from occurisk_assets.assistant.parsing import split_jobs
from tests.assistant.resume_fixtures import RESUMES, Resume, aligned, field_scores

API = "/api/v1"
# Both measured on the fixtures; the parser before issue 23 scored precision 0.65 and recall 0.41.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95
MIN_MAJOR_GROUP = 0.85  # English jobs; Korean titles need the Korean title index (issue 23 point 4)


def _columns_pdf(text: str) -> bytes:
    """Dates in a left column, the rest in a right one, the right column written first (as some résumé
    builders do): read in content order, every date would come after every title."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    rows = [
        line.split("   ", 1) if not line.startswith(" ") else ["", line.strip()] for line in text.splitlines()
    ]
    for k, (_, right) in enumerate(rows):
        pdf.text(70, 30 + 8 * k, right)
    for k, (left, _) in enumerate(rows):
        if left:
            pdf.text(15, 30 + 8 * k, left)
    return bytes(pdf.output())


def upload_of(resume: Resume) -> tuple[str, bytes]:
    if resume.file == "docx":
        return "cv.docx", text_docx(resume.text)
    if resume.file == "pdf":
        return "cv.pdf", text_pdf(resume.text)
    if resume.file == "columns":
        return "cv.pdf", _columns_pdf(resume.text)
    return "cv.txt", resume.text.encode()


def test_fixture_resumes_are_read_field_by_field():
    scores = field_scores([(r, split_jobs(text_of_upload(*upload_of(r)))) for r in RESUMES])
    assert scores["precision"] >= MIN_PRECISION and scores["recall"] >= MIN_RECALL, scores


def test_duties_awards_names_and_contacts_are_never_jobs():
    texts = {r.name: r for r in RESUMES}
    builder = split_jobs(texts[next(n for n in texts if n.startswith("résumé builder"))].text)
    assert [j.title for j in builder] == ["Sales Manager", "Retail Sales Associate"]
    assert "Served as backup HR Liaison." in builder[0].duties
    school = split_jobs(
        "Staff Nurse, Mercy Hospital, 2002 - 2024\nB.S. Nursing, State University, 1998 - 2002"
    )
    assert [(j.title, j.employer) for j in school] == [("Staff Nurse", "Mercy Hospital")]
    for resume in RESUMES:
        for job in split_jobs(resume.text):
            assert not any(
                bad in (job.title or "") + (job.employer or "")
                for bad in ("@", "555", "Employee of", "Gonzalez", "김영희", "Summary", "Street", "졸업")
            ), (resume.name, job)


def test_mojibake_is_repaired():
    [resume] = [r for r in RESUMES if r.name == "mojibake"]
    assert "â€¢" in resume.text
    jobs = split_jobs(resume.text)
    assert jobs[0].duties == ["Helped residents bathe, dress and eat", "Took vital signs"]


def test_a_pdf_is_read_in_layout_order():
    [resume] = [r for r in RESUMES if r.file == "columns"]
    text = text_of_upload("cv.pdf", _columns_pdf(resume.text))
    assert [(j.title, j.start_year) for j in split_jobs(text)] == [
        ("Dental Assistant", 2014),
        ("Receptionist", 2009),
    ]


def test_fixture_resumes_through_the_api_with_occupations(assistant_client):
    results, majors = [], []
    for resume in RESUMES:
        name, data = upload_of(resume)
        response = assistant_client.post(f"{API}/resumes/parse", files={"file": (name, data)})
        assert response.status_code == 200, (resume.name, response.text)
        found = response.json()["jobs"]
        results.append((resume, found))
        for job, _, parsed in aligned(resume.jobs, found):
            if not any("\uac00" <= c <= "\ud7a3" for c in job.title):
                majors.append(parsed is not None and parsed["occupations"][0]["soc_code"][:2] == job.major)
    scores = field_scores(results)
    print(f"through the API: {scores}, major group right for {sum(majors)} of {len(majors)} English jobs")
    assert scores["precision"] >= MIN_PRECISION and scores["recall"] >= MIN_RECALL, scores
    assert sum(majors) / len(majors) >= MIN_MAJOR_GROUP, majors


def test_without_cues_the_coder_tells_the_title_from_the_employer(assistant_client):
    text = "Experience\nSmith Brothers, Millwright, 1990 - 2010\nDunmore Farley, Upholsterer, 1985 - 1990\n"
    body = assistant_client.post(f"{API}/resumes/parse", json={"text": text}).json()
    assert [(j["title"], j["employer"]) for j in body["jobs"]] == [
        ("Millwright", "Smith Brothers"),
        ("Upholsterer", "Dunmore Farley"),
    ]
    assert [j["occupations"][0]["soc_code"] for j in body["jobs"]] == ["49-9044", "51-6093"]
