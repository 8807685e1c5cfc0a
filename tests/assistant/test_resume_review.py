""" "Make your résumé stronger": suggestions from the person's own text (before → after), ranked; accepting
one edits the saved résumé and passes the fact check; age signals only under the age-neutral choice."""

from __future__ import annotations

import pytest

from occurisk_assets.assistant.facts import Facts
from occurisk_assets.assistant.resume import draft_resume
from occurisk_assets.assistant.review import (
    NotApplicable,
    age_fix,
    apply,
    gerund_past,
    outdated_fix,
    review,
    suggestion,
    without_vague_opening,
)
from tests.assistant.conftest import SOC

API = "/api/v1"
JOBS = [
    {
        "title": "Customer service representative",
        "employer": "Acme Telecom",
        "start_year": 1999,
        "end_year": 2024,
        "task_ids": [],
        "duties": [
            "Responsible for answering phone calls about billing",
            "Sent e-mail replies to customers",
            "Took calls",
        ],
    }
]
EDITED = """Customer service representative with 26 years of experience.
Acme Telecom 1999-2024
- Responsible for answering phone calls about billing
- Sent e-mail replies to customers
Corner Market 1994-1998
- In charge of the till and the daily count
"""


def test_vague_openings_become_the_action_itself():
    assert gerund_past("training") == "Trained" and gerund_past("managing") == "Managed"
    assert gerund_past("making") == "Made" and gerund_past("planning") == "Planned"
    assert without_vague_opening("Responsible for training new staff") == "Trained new staff"
    assert without_vague_opening("Duties included scheduling the crews") == "Scheduled the crews"
    assert without_vague_opening("In charge of the till") == "Managed the till"
    assert without_vague_opening("Trained new staff") is None


def test_age_signals_and_outdated_terms():
    assert age_fix("Customer service representative with 26 years of experience.", 2026) == (
        "Customer service representative with 15+ years of experience."
    )
    assert age_fix("Corner Market 1994-1998", 2026) == "Corner Market"
    assert age_fix("Acme Telecom 1999-2024", 2026) is None  # still recent: kept
    assert age_fix("Graduated in 1985 from Central High", 2026) == "Graduated from Central High"
    assert age_fix("Central High, class of 1985", 2026) == "Central High"
    assert outdated_fix("Sent e-mail replies to customers") == "Sent email replies to customers"
    assert outdated_fix("References available upon request.") == ""


def test_a_draft_gets_ranked_suggestions_from_its_own_lines():
    document = draft_resume(JOBS, {}, [], age_neutral=False, this_year=2026).as_dict()
    found = review(document, age_neutral=False, this_year=2026)
    pairs = [(s.kind, s.before, s.after) for s in found]
    assert pairs[0] == (
        "vague_verb",
        "Responsible for answering phone calls about billing.",
        "Answered phone calls about billing.",
    )
    assert ("outdated", "Sent e-mail replies to customers.", "Sent email replies to customers.") in pairs
    assert ("short", "Took calls.", None) in pairs
    assert ("no_number", "Sent e-mail replies to customers.", None) in pairs
    assert not [s for s in found if s.kind == "age"]  # not chosen: no age suggestions
    assert [s.kind for s in found] == sorted(
        (s.kind for s in found),
        key=["hidden", "vague_verb", "age", "outdated", "long", "short", "no_number"].index,
    )


def test_accepting_changes_one_line_and_refuses_what_adds_a_fact():
    document = draft_resume(JOBS, {}, [], age_neutral=False, this_year=2026).as_dict()
    facts = Facts.of(document["text"])
    vague = next(s for s in review(document, age_neutral=False, this_year=2026) if s.kind == "vague_verb")
    changed = apply(document, vague, facts)
    assert changed["jobs"][0]["bullets"][0] == "Answered phone calls about billing."
    assert "Answered phone calls about billing." in changed["text"] and "Responsible" not in changed["text"]
    invented = suggestion("vague_verb", vague.job, "Took calls.", "Took 80 calls a day at Google.")
    with pytest.raises(NotApplicable, match="80, Google"):
        apply(document, invented, facts)
    question = next(s for s in review(document, age_neutral=False, this_year=2026) if s.kind == "no_number")
    with pytest.raises(NotApplicable, match="needs your answer"):
        apply(document, question, facts)


def test_the_review_api_on_an_edited_resume_and_accepting_a_suggestion(assistant_client, csr_tasks):
    history = {
        "jobs": [{**JOBS[0], "soc_code": SOC, "task_ids": list(csr_tasks)}],
        "age_neutral": True,
        "target_soc_code": SOC,
    }
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    saved = assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={"text": EDITED})
    assert saved.status_code == 200, saved.text
    answer = assistant_client.post(f"{API}/profiles/{profile_id}/resume/review", json={})
    assert answer.status_code == 200, answer.text
    suggestions = answer.json()["suggestions"]
    concrete = [s for s in suggestions if s["acceptable"] and s["before"]]
    assert len(concrete) >= 3
    by_kind = {s["kind"]: s for s in suggestions}
    assert by_kind["hidden"]["before"] == "" and by_kind["hidden"]["after"].endswith(".")  # ticked, unsaid
    ages = {(s["before"], s["after"]) for s in suggestions if s["kind"] == "age"}
    assert ages == {
        (EDITED.splitlines()[0], "Customer service representative with 15+ years of experience."),
        ("Corner Market 1994-1998", "Corner Market"),
    }
    keywords = answer.json()["keywords"]
    assert keywords and {k["source"] for k in keywords} == {"occupation"}
    vague = next(
        s for s in suggestions if s["before"] == "Responsible for answering phone calls about billing"
    )
    accepted = assistant_client.post(
        f"{API}/profiles/{profile_id}/resume/review/accept", json={"id": vague["id"]}
    )
    assert accepted.status_code == 200, accepted.text
    assert "- Answered phone calls about billing." in accepted.json()["edited_text"]
    download = assistant_client.get(f"{API}/profiles/{profile_id}/resume.txt?language=en").text
    assert "Answered phone calls about billing." in download and "Responsible for" not in download
    again = assistant_client.post(
        f"{API}/profiles/{profile_id}/resume/review/accept", json={"id": vague["id"]}
    )
    assert again.status_code == 409 and "review it again" in again.text
    fresh = assistant_client.post(f"{API}/profiles/{profile_id}/resume/review", json={}).json()["suggestions"]
    question = next(s for s in fresh if s["kind"] == "no_number")
    refused = assistant_client.post(
        f"{API}/profiles/{profile_id}/resume/review/accept", json={"id": question["id"]}
    )
    assert refused.status_code == 409 and "needs your answer" in refused.text
    bad = assistant_client.post(f"{API}/profiles/{profile_id}/resume/review/accept", json={"id": "../x"})
    assert bad.status_code == 422 and "id" in bad.text
