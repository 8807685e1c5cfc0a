"""A person's profile and what is made from it (exposure, transitions, résumé, cover letter): the work of
the JSON routes under /profiles and of the pages under /my-work. Raises domain errors (api/services/errors.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from psycopg import AsyncConnection

from api.metrics import LETTERS_MADE
from api.services.errors import Conflict, Invalid, NotFound
from occurisk_assets.assistant import documents, exposure, korean_resume, profiles, skills
from occurisk_assets.assistant.facts import Facts
from occurisk_assets.assistant.letter import checklist, draft_letter
from occurisk_assets.assistant.resume import Note, ResumeDraft, draft_resume
from occurisk_assets.assistant.rewrite import rewrite_draft

NOT_FOUND = "no such profile (it may have been deleted, or removed after 30 days without use)"


async def load(conn: AsyncConnection, profile_id: str) -> dict:
    """The profile (its jobs, tasks and duties), marked as opened; NotFound when there is none."""
    row = await profiles.load(conn, profile_id)
    if row is None:
        raise NotFound(NOT_FOUND, "profile_id")
    return row


async def validate(conn: AsyncConnection, version: str, body: profiles.ProfileIn) -> None:
    """Invalid when the work history names an occupation or task the O*NET version does not have."""
    try:
        await profiles.validate_against_catalog(conn, version, body)
    except profiles.InvalidProfile as exc:
        raise Invalid(str(exc)) from exc


async def create(conn: AsyncConnection, version: str, body: profiles.ProfileIn) -> dict:
    await validate(conn, version, body)
    profile_id = profiles.new_profile_id()
    await profiles.save(conn, profile_id, version, body, new=True)
    return await load(conn, profile_id)


async def replace_history(conn: AsyncConnection, profile_id: str, body: profiles.ProfileIn) -> dict:
    """Replace the whole work history (in one transaction; on any error the previous one stays)."""
    row = await load(conn, profile_id)
    await validate(conn, row["data_version"], body)
    await profiles.save(conn, profile_id, row["data_version"], body, new=False)
    return await load(conn, profile_id)


async def delete(conn: AsyncConnection, profile_id: str) -> None:
    if not await profiles.delete(conn, profile_id):
        raise NotFound(NOT_FOUND, "profile_id")


async def personal_exposure(conn: AsyncConnection, row: dict) -> dict:
    return await exposure.personal_exposure(conn, row)


async def personal_transitions(conn: AsyncConnection, row: dict) -> tuple[str, list[dict]]:
    """(method, moves): where the person's experience carries."""
    return await skills.personal_transitions(
        conn, row["data_version"], profiles.task_ids_of(row), profiles.socs_of(row)
    )


async def facts_and_draft(
    conn: AsyncConnection, row: dict, target: str | None, age_neutral: bool
) -> tuple[ResumeDraft, Facts]:
    version = row["data_version"]
    tasks = await exposure.task_scores(conn, version, profiles.task_ids_of(row))
    supported = await skills.supported_skills(conn, version, profiles.task_ids_of(row), profiles.socs_of(row))
    target_title, target_tasks = None, set()
    if target:
        occupation = (await exposure.occupation_scores(conn, version, [target])).get(target)
        if occupation is None:
            raise Invalid(f"target_soc_code: no occupation {target} in O*NET {version}", "target_soc_code")
        target_title = occupation["title"]
        target_tasks = await skills.tasks_sharing_activities(conn, version, profiles.task_ids_of(row), target)
    draft = draft_resume(
        row["jobs"],
        tasks,
        [s["skill"] for s in supported],
        age_neutral=age_neutral,
        target_title=target_title,
        target_task_ids=target_tasks,
    )
    facts = Facts.of(
        *[
            job["title"] + " " + (job["employer"] or "") + " " + " ".join(job["duties"])
            for job in row["jobs"]
        ],
        *[str(job[k]) for job in row["jobs"] for k in ("start_year", "end_year") if job[k]],
        draft.text(),  # the offline draft states only the person's facts (and O*NET text)
    )
    return draft, facts


async def make_resume(
    conn: AsyncConnection,
    profile_id: str,
    target_soc_code: str | None = None,
    age_neutral: bool | None = None,
    use_llm: bool = False,
    text: str | None = None,
) -> dict:
    """A new résumé draft (kept on the profile); `text`: the person's own edit, saved as they wrote it."""
    row = await load(conn, profile_id)
    age_neutral = row["age_neutral"] if age_neutral is None else age_neutral
    draft, facts = await facts_and_draft(conn, row, target_soc_code or row["target_soc_code"], age_neutral)
    if use_llm:
        if not row["llm_opt_in"]:
            raise Conflict(
                "use_llm: this profile has not agreed to send its text to an LLM provider (llm_opt_in)",
                "use_llm",
            )
        draft = await rewrite_draft(conn, profile_id, draft, facts)
    if text is not None:
        draft = replace(draft, notes=[*draft.notes, Note("edited")])
    result = draft.as_dict()
    if text is not None:
        result["edited_text"] = text
    await profiles.save_document(conn, profile_id, "resume", result)
    return result


async def current_resume(conn: AsyncConnection, row: dict) -> dict:
    """The saved résumé (the last draft, with the person's edit when they made one), else a fresh offline
    draft (not saved until the person asks for one)."""
    stored = await profiles.stored_document(conn, row["id"], "resume")
    if stored is not None:
        return stored
    draft, _ = await facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
    return draft.as_dict()


async def make_cover_letter(conn: AsyncConnection, profile_id: str, posting: str) -> dict:
    """A cover letter from the résumé and the posting, and the posting's single demands matched to the
    person's experience (shown, partly shown or not shown, and the résumé line that shows it); kept on the
    profile."""
    row = await load(conn, profile_id)
    stored = await profiles.stored_document(conn, profile_id, "resume")
    if stored is not None:
        draft = ResumeDraft.from_dict(stored)
    else:
        draft, _ = await facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
    items = checklist(posting, draft)
    result = {
        "text": draft_letter(draft, items, posting),
        "checklist": [
            {"requirement": r.requirement, "status": r.status, "met": r.met, "evidence": r.evidence}
            for r in items
        ],
    }
    await profiles.save_document(conn, profile_id, "cover_letter", result)
    LETTERS_MADE.inc()
    return result


async def stored_cover_letter(conn: AsyncConnection, profile_id: str) -> dict:
    await load(conn, profile_id)
    body = await profiles.stored_document(conn, profile_id, "cover_letter")
    if body is None:
        raise NotFound("no cover letter yet: POST a posting to /profiles/{id}/cover-letter first")
    return body


def document_language(row: dict, asked: str | None) -> str:
    """The language of a downloaded résumé or letter: the one asked for, else Korean when the person wrote
    their history in Korean."""
    own = " ".join(f"{job['title']} {' '.join(job['duties'])}" for job in row["jobs"])
    return asked or ("ko" if korean_resume.is_korean(own) else "en")


async def korean_document(conn: AsyncConnection, row: dict, kind: str, fmt: str) -> bytes:
    """The Korean 이력서 (kind "resume") or 자기소개서 ("cover_letter"), fresh from the profile and
    fact-checked against it; .docx and .pdf in Noto Sans CJK KR. Invalid (`language`) when the document would
    state a fact the profile does not: no invented fact is ever sent, and the English one still can be."""
    version = row["data_version"]
    this_year = date.today().year
    tasks = await exposure.task_scores(conn, version, profiles.task_ids_of(row))
    target = None
    if kind == "resume":
        document = korean_resume.korean_resume(
            row["jobs"], tasks, age_neutral=row["age_neutral"], this_year=this_year
        )
    else:
        if row["target_soc_code"]:
            occupation = (await exposure.occupation_scores(conn, version, [row["target_soc_code"]])).get(
                row["target_soc_code"]
            )
            target = occupation["title"] if occupation else None
        document = korean_resume.korean_cover_letter(
            row["jobs"], age_neutral=row["age_neutral"], target_title=target, this_year=this_year
        )
    facts = korean_resume.person_facts(row["jobs"], tasks, this_year)
    if target:
        facts.add(target)
    try:
        document = korean_resume.fact_checked(document, facts)
    except korean_resume.UnsupportedFacts as exc:
        raise Invalid(
            "language: the Korean document cannot be made from this work history without stating something "
            "it does not say; download it in English (language=en)",
            "language",
        ) from exc
    return {
        "txt": lambda: document.text().encode(),
        "docx": lambda: korean_resume.korean_docx(document),
        "pdf": lambda: documents.text_pdf(document.text()),
    }[fmt]()
