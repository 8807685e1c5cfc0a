"""The API's contract (api/schemas/): every JSON route under /api/v1 documents its answer with a response
model, and the assistant's models, which describe answers their routes build as dicts, write those dicts
exactly as before (same keys in the same order, same values, nulls kept, absent keys absent).
No database: the OpenAPI document and the routes' response fields are read from the app."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.routing import APIRoute, iter_route_contexts, serialize_response
from pydantic import TypeAdapter

from api.main import create_app
from occurisk_assets.assistant.resume import JobSection, Note, ResumeDraft

APP = create_app()
OPENAPI = APP.openapi()
# (path under /api/v1, route): the app's routes as mounted, with their prefix.
API_ROUTES = [
    (c.path, c.original_route)
    for c in iter_route_contexts(APP.routes)
    if isinstance(c.original_route, APIRoute) and c.path.startswith("/api/v1")
]
WHEN = dt.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)


def _documented_answer(path: str, route: APIRoute, method: str) -> dict:
    status = str(route.status_code or 200)
    return OPENAPI["paths"][path][method.lower()]["responses"][status]


def _is_named_model(schema: dict) -> bool:
    """A component of the document: one model, or a union of models told apart by a discriminator."""
    if "$ref" in schema:
        return True
    choices = schema.get("oneOf") or schema.get("anyOf") or []
    return bool(choices) and all("$ref" in choice for choice in choices)


def test_every_route_is_walked():
    assert len(API_ROUTES) >= 26


@pytest.mark.parametrize(
    ("path", "route"), API_ROUTES, ids=[f"{sorted(r.methods)[0]} {p}" for p, r in API_ROUTES]
)
def test_every_api_route_documents_its_answer(path: str, route: APIRoute):
    """A JSON answer has a response model; the others are a 204 without a body or a documented file."""
    for method in route.methods:
        answer = _documented_answer(path, route, method)
        content = answer.get("content", {})
        if route.status_code == 204:
            assert content == {}, "a 204 has no body"
        elif "application/json" in content:
            assert route.response_model is not None and route.response_model is not dict
            assert _is_named_model(content["application/json"]["schema"]), "no response model"
        else:
            assert content, "neither JSON nor a documented file"
            assert all(c["schema"] == {"type": "string", "format": "binary"} for c in content.values())


def _route(path: str, method: str) -> APIRoute:
    return next(r for p, r in API_ROUTES if p == "/api/v1" + path and method in r.methods)


def _written(path: str, method: str, answer: dict) -> str:
    route = _route(path, method)
    written = serialize_response(
        field=route.response_field,
        response_content=answer,
        exclude_unset=route.response_model_exclude_unset,
    )
    # In a thread of its own: the session's browser (Playwright's sync API) may hold this thread's event loop.
    with ThreadPoolExecutor(1) as thread:
        content = thread.submit(asyncio.run, written).result()
    return json.dumps(content)


PROFILE = {
    "id": "x" * 32,
    "data_version": "30.1",
    "target_soc_code": None,
    "age_neutral": False,
    "llm_opt_in": True,
    "created_at": WHEN,
    "last_opened_at": WHEN + dt.timedelta(days=1),
    "jobs": [
        {
            "soc_code": "43-4051",
            "title": "Customer service rep",
            "employer": None,
            "start_year": 2000,
            "end_year": None,
            "duties": ["Answered calls"],
            "task_ids": [1, 2],
        }
    ],
}
EXPOSED_TASK = {
    "task_id": 7,
    "task_statement": "Answer calls.",
    "job_ordinal": 0,
    "score": 0.6123,
    "raters": [{"model": "a", "score": 0.5}, {"model": "b", "score": None}],
}
EXPOSURE = {
    "data_version": "30.1",
    "score": 0.6123,
    "occupation_average": None,
    "weighting": "tasks by weight; jobs by years",
    "jobs": [
        {
            "ordinal": 0,
            "title": "Customer service rep",
            "soc_code": "43-4051",
            "occupation_title": None,
            "years": 25,
            "score": None,
            "occupation_score": 0.7,
            "tasks_scored": 0,
            "tasks_unscored": 2,
            "own_duties_unscored": 1,
        }
    ],
    "most_exposed": [EXPOSED_TASK],
    "least_exposed": [],
}
SHARED_ACTIVITIES = {
    "data_version": "30.1",
    "method": "shared_activities",
    "transitions": [
        {
            "soc_code": "41-2031",
            "title": "Retail Salespersons",
            "score": 0.41,
            "shared_activities": 3,
            "my_activities": 4,
            "carried_activities": ["Answer customer questions."],
            "safer": None,
            "carried_share": 0.75,
            "skill_gaps": [{"skill": "Persuasion", "needed_level": 3.5, "your_level": 2.0}],
        }
    ],
}
CAREERS_TRANSITIONS = {
    "data_version": "30.1",
    "method": "occupation_transitions",
    "transitions": [
        {
            "from_soc_code": "43-4051",
            "soc_code": "41-2031",
            "title": "Retail Salespersons",
            "transition_score": 0.5,
            "similarity": None,
            "score": 0.41,
            "ai_score_change": -0.2,
            "safer": True,
            "carries_over": [{"kind": "work_activity", "name": "Answer customer questions."}],
            "skill_gaps": [
                {
                    "domain": "skill",
                    "element_id": "2.B.1.d",
                    "element": "Persuasion",
                    "your_level": 2.0,
                    "needed_level": 3.5,
                    "importance": 3.12,
                }
            ],
            "carried_share": 0.0,
            "carried_activities": [],
        }
    ],
}
DRAFT = ResumeDraft(
    "Customer service representative with 25 years of experience.",
    [
        JobSection("Customer service rep", None, "2000–present", ["Answered calls."]),
        JobSection("Clerk", "Acme", None, [], True),
    ],
    ["Active Listening"],
    age_neutral=True,
    target=None,
    notes=[Note("reworded", {"model": "m"})],
    mode="llm:m",
)
COVER_LETTER = {
    "text": "Dear hiring manager,",
    "checklist": [
        {"requirement": "Answering calls", "status": "shown", "met": True, "evidence": "Answered calls."},
        {"requirement": "Forklift licence", "status": "not_shown", "met": False, "evidence": None},
    ],
}
RANKED = {
    "posting_id": 12,
    "title": "Call centre agent",
    "hiring_organization": None,
    "job_location": "Seoul",
    "url": None,
    "occupation": {"soc_code": "43-4051", "title": None, "confidence": 0.32},
    "low_confidence": True,
    "ai_score": 0.7,
    "match_score": 0.61,
    "match_score_components": {"text_similarity": 0.4, "occupation_similarity": 1.0, "safety": 0.3},
    "reasons": [
        {
            "kind": "matched_requirement",
            "text": "t",
            "requirement": "r",
            "yours": "y",
            "status": "shown",
            "similarity": 0.3,
        },
        {"kind": "matched_task", "text": "t", "task_id": 7, "task_statement": "Answer calls."},
        {
            "kind": "occupation",
            "text": "t",
            "soc_code": "43-4051",
            "title": None,
            "your_soc_code": "43-4051",
            "similarity": 1.0,
        },
        {"kind": "exposure", "text": "t", "ai_score": 0.7},
    ],
    "outcome": {"outcome": "applied", "updated_at": WHEN},
}
PROFILE_POSTINGS = {
    "data_version": "30.1",
    "note": "The match score only orders these postings.",
    "weights": {"text": 0.5, "occupation": 0.3, "safety": 0.2},
    "q": None,
    "pagination": {"total": 2, "page": 1, "page_size": 10, "pages": 1},
    "items": [
        RANKED,
        {**RANKED, "posting_id": 13, "occupation": None, "ai_score": None, "reasons": [], "outcome": None},
    ],
}
OUTCOME = {
    "posting_id": 12,
    "outcome": "interview",
    "updated_at": WHEN,
    "history": [{"outcome": "applied", "changed_at": WHEN}, {"outcome": "interview", "changed_at": WHEN}],
}
PARSED = {
    "data_version": "30.1",
    "model_version": "unregistered",
    "jobs": [
        {
            "title": None,
            "employer": "Acme",
            "start_year": None,
            "end_year": 2024,
            "duties": [],
            "occupations": [
                {"soc_code": "43-4051", "title": "Customer Service Representatives", "confidence": 0.9}
            ],
            "proposed_tasks": [
                {"task_id": 1, "task_statement": "Answer calls.", "similarity": None},
                {"task_id": 2, "task_statement": "Keep records.", "similarity": 0.1234},
            ],
            "unsure": False,
            "coder_input_sha256": "0123456789abcdef",
        }
    ],
}


@pytest.mark.parametrize(
    ("path", "method", "answer"),
    [
        ("/profiles", "POST", PROFILE),
        ("/profiles/{profile_id}", "GET", PROFILE),
        ("/profiles/{profile_id}", "PUT", PROFILE),
        ("/profiles/{profile_id}/exposure", "GET", EXPOSURE),
        ("/profiles/{profile_id}/transitions", "GET", SHARED_ACTIVITIES),
        ("/profiles/{profile_id}/transitions", "GET", CAREERS_TRANSITIONS),
        ("/profiles/{profile_id}/resume", "POST", DRAFT.as_dict()),
        ("/profiles/{profile_id}/resume", "POST", {**DRAFT.as_dict(), "edited_text": "My own words."}),
        ("/profiles/{profile_id}/cover-letter", "POST", COVER_LETTER),
        ("/profiles/{profile_id}/postings", "GET", PROFILE_POSTINGS),
        ("/profiles/{profile_id}/postings/{posting_id}/outcome", "PUT", OUTCOME),
        ("/resumes/parse", "POST", PARSED),
        ("/transcribe", "POST", {"text": "hello", "seconds": 1.25, "language": "en", "model": "base"}),
    ],
)
def test_assistant_answers_are_written_as_before(path, method, answer):
    """What the route's response model writes is what FastAPI wrote before, when the route's only response
    model was its `-> dict` annotation."""
    assert _written(path, method, answer) == json.dumps(TypeAdapter(dict).dump_python(answer, mode="json"))
