"""Résumé and cover letter: the offline draft states only the person's facts; exports open; the LLM mode
(a fake OpenAI server, the official SDK's HTTP path) is used only when it adds no fact."""

from __future__ import annotations

import io
import json
import re

import docx
from pypdf import PdfReader

from occurisk_assets.assistant.facts import Facts, added_facts
from occurisk_assets.assistant.pasttense import to_past_tense
from tests.fakes.llm_server import Reply

API = "/api/v1"
POSTING = """Customer Support Specialist
We are looking for someone to join our team.
Requirements:
- Experience answering customer questions by phone
- Ability to resolve billing problems
- Forklift certification
"""


def test_past_tense_of_task_statements():
    assert to_past_tense("Plan, direct, or coordinate operational activities.") == (
        "Planned, directed, or coordinated operational activities."
    )
    assert to_past_tense("Confer with customers by telephone.") == "Conferred with customers by telephone."
    assert to_past_tense("Keep records of customer interactions.") == "Kept records of customer interactions."
    assert to_past_tense("May supervise staff.") == "May supervise staff."


def test_added_facts_catches_numbers_years_and_names():
    allowed = Facts.of(
        "Customer service representative at Acme Telecom 1999 2024. Trained 12 new staff members."
    )
    assert not added_facts(allowed, "Trained 12 new staff members at Acme Telecom from 1999.")
    added = added_facts(
        allowed, "Increased sales by 40% at Google in 2019; MBA holder; trained twelve staff."
    )
    assert added.numbers[:2] == ["2019", "40"] and "twelve" in added.numbers
    assert "Google" in added.names and "MBA" in added.names


def test_added_facts_reads_latin_words_and_numbers_apart_from_the_hangul_around_them():
    # A duty written in Korean names its employer with a particle: the English rewrite may still name it.
    assert not added_facts(Facts.of("Acme에서 요금 문의를 받았습니다"), "Answered billing questions at Acme.")
    # A number right after Hangul is a number; the same value in other digits is the same fact.
    assert added_facts(Facts.of("하루 80건 받았습니다"), "하루90건 받았습니다").numbers == ["90"]
    assert not added_facts(Facts.of("경력 ٢٥년, 직원 １２명"), "for 25 years, trained 12 staff")


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def _input_facts(history: dict) -> tuple[set[str], str]:
    text = json.dumps(history["jobs"])
    return _numbers(text), text


def test_offline_draft_states_only_the_persons_facts(assistant_client, history, db_conn):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    draft = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={}).json()
    assert draft["mode"] == "offline"
    text = draft["text"]
    numbers, _ = _input_facts(history)
    # 1994-1998 and 1999-2024: 31 years, the only derived number.
    assert _numbers(text) <= numbers | {"31"} and "31 years of experience" in draft["summary"]
    assert draft["jobs"][0]["heading"] == "Customer service representative, Acme Telecom"
    assert draft["jobs"][0]["dates"] == "1999–2024" and draft["jobs"][1]["dates"] == "1994–1998"
    first_bullets = draft["jobs"][0]["bullets"]
    assert first_bullets[-1] == "Trained 12 new staff members on the billing system."
    assert len(first_bullets) == 6 and not any(
        b.split()[0].lower() in ("answer", "resolve") for b in first_bullets
    )
    assert draft["skills"] and all(s in text for s in draft["skills"])
    # Least exposed tasks first.
    scores = dict(
        db_conn.execute(
            "SELECT task_id, mean FROM marts.task_ai_ensemble WHERE data_version = '30.1'"
        ).fetchall()
    )
    statements = dict(
        db_conn.execute(
            "SELECT task_id, task_statement FROM marts.task_statements WHERE data_version = '30.1'"
        ).fetchall()
    )
    ticked = sorted(history["jobs"][0]["task_ids"], key=lambda t: (float(scores[t]), t))
    assert first_bullets[0].split()[1:4] == statements[ticked[0]].split()[1:4]


def test_age_neutral_leaves_out_early_dates_and_the_total(assistant_client, history):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    draft = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={"age_neutral": True}).json()
    assert "1994" not in draft["text"] and "1998" not in draft["text"] and "31" not in draft["text"]
    assert draft["jobs"][1]["earlier"] and draft["jobs"][1]["dates"] is None
    assert "EARLIER EXPERIENCE" in draft["text"] and "1999–2024" in draft["text"]


def test_exports_open_and_carry_the_text(assistant_client, history):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    draft = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={}).json()
    txt = assistant_client.get(f"{API}/profiles/{profile_id}/resume.txt")
    assert txt.status_code == 200 and txt.text == draft["text"]
    document = docx.Document(
        io.BytesIO(assistant_client.get(f"{API}/profiles/{profile_id}/resume.docx").content)
    )
    paragraphs = [p.text for p in document.paragraphs]
    assert (
        draft["summary"] in paragraphs
        and "Customer service representative, Acme Telecom (1999–2024)" in paragraphs
    )
    assert draft["jobs"][0]["bullets"][0] in paragraphs
    pdf = PdfReader(io.BytesIO(assistant_client.get(f"{API}/profiles/{profile_id}/resume.pdf").content))
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Acme Telecom" in pdf_text and "Trained 12 new staff members" in pdf_text
    # The person's own edit is what gets downloaded.
    edited = "My own résumé text.\nCustomer service, Acme Telecom."
    assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={"text": edited})
    assert assistant_client.get(f"{API}/profiles/{profile_id}/resume.txt").text == edited
    edited_docx = docx.Document(
        io.BytesIO(assistant_client.get(f"{API}/profiles/{profile_id}/resume.docx").content)
    )
    assert [p.text for p in edited_docx.paragraphs] == edited.splitlines()


def test_cover_letter_checklist_and_no_invented_fact(assistant_client, history):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    letter = assistant_client.post(
        f"{API}/profiles/{profile_id}/cover-letter", json={"posting": POSTING}
    ).json()
    items = {i["requirement"]: i for i in letter["checklist"]}
    assert set(items) >= {
        "Experience answering customer questions by phone",
        "Ability to resolve billing problems",
        "Forklift certification",
    }
    assert not items["Forklift certification"]["met"] and items["Forklift certification"]["evidence"] is None
    assert items["Ability to resolve billing problems"]["met"]
    numbers, _ = _input_facts(history)
    assert _numbers(letter["text"]) <= numbers | {"31"}
    assert "Acme Telecom" in letter["text"] and "Forklift" not in letter["text"]
    docx_bytes = assistant_client.get(f"{API}/profiles/{profile_id}/cover-letter.docx").content
    assert "Dear hiring manager," in [p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs]


def _reply(draft: dict, *, summary: str, extra: str = "") -> Reply:
    jobs = [
        {"bullets": [b.replace("Trained", "Coached") + extra for b in job["bullets"]]}
        for job in draft["jobs"]
    ]
    return Reply.content(json.dumps({"summary": summary, "jobs": jobs}))


def test_llm_rewording_is_opt_in_and_never_adds_a_fact(assistant_client, history, fake_llm):
    no_consent = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    refused = assistant_client.post(f"{API}/profiles/{no_consent}/resume", json={"use_llm": True})
    assert refused.status_code == 409 and "llm_opt_in" in refused.text
    assert fake_llm.completions("openai") == 0

    profile_id = assistant_client.post(f"{API}/profiles", json={**history, "llm_opt_in": True}).json()["id"]
    offline = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={}).json()
    # A reply that invents a number and an employer is rejected: the offline draft, with a note.
    fake_llm.enqueue("openai", _reply(offline, summary="Top performer at Google who raised sales by 40%."))
    rejected = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={"use_llm": True}).json()
    assert fake_llm.completions("openai") == 1
    assert rejected["mode"] == "offline" and rejected["text"] == offline["text"]
    assert any("added facts" in n and "40" in n and "Google" in n for n in rejected["notes"])
    assert rejected["note_keys"] == [{"key": "rejected_facts", "values": {"facts": "40, Google"}}]
    # A reply that only rewords is used.
    history["jobs"][0]["duties"] = ["Trained 12 new staff members on the billing system", "Kept calm"]
    assistant_client.put(f"{API}/profiles/{profile_id}", json={**history, "llm_opt_in": True})
    offline = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={}).json()
    fake_llm.enqueue(
        "openai", _reply(offline, summary="Customer service representative with 31 years of experience.")
    )
    reworded = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={"use_llm": True}).json()
    assert reworded["mode"] == "llm:openai:gpt-4.1-mini", reworded["notes"]
    assert "Coached 12 new staff members on the billing system." in reworded["text"]
    # Asked again: the cached reply, no second payment.
    again = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={"use_llm": True}).json()
    assert again["text"] == reworded["text"] and fake_llm.completions("openai") == 2
    request = json.loads(fake_llm.requests[-1].body)
    assert "Trained 12 new staff members" in request["messages"][-1]["content"]
