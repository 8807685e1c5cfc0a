"""Reading an existing résumé: the jobs in it, each with its likely occupations (the occupation coder) and
the O*NET tasks of the first one that match what the person wrote. Nothing is stored. The work of
POST /resumes/parse and of the résumé step under /my-work."""

from __future__ import annotations

import asyncio

from api.metrics import RESUMES_PARSED
from api.queries import tasks as task_queries
from api.services.errors import Unavailable
from occurisk_assets.assistant.job_fields import coder_title_likeness
from occurisk_assets.assistant.parsing import split_jobs
from occurisk_assets.coder import CoderNotTrained, load_production_coder
from occurisk_assets.coder.model import is_unsure
from occurisk_assets.coder.serving import input_hash, log_predictions
from occurisk_assets.text.requirements import propose_tasks

PROPOSED_TASKS = 8


def _propose(duties: list[str], tasks: list[dict]) -> list[dict]:
    """The occupation's tasks that the person's own words show (the requirement matcher of
    occurisk_assets.text); without duties, its first tasks (core first)."""
    if not tasks:
        return []
    if not duties:
        return [{**t, "similarity": None} for t in tasks[:PROPOSED_TASKS]]
    shown = propose_tasks(duties, [t["task_statement"] for t in tasks], PROPOSED_TASKS)
    return [{**tasks[i], "similarity": score} for i, score in shown]


async def parse_text(conn, version: str, text: str) -> dict:
    """The jobs in a résumé's text, coded (the API's answer; the résumé page shows the same). Unavailable
    when no occupation coder is trained."""
    try:
        coder = await asyncio.to_thread(load_production_coder, version)
    except CoderNotTrained as exc:
        raise Unavailable(str(exc)) from exc
    jobs = await asyncio.to_thread(split_jobs, text, coder_title_likeness(coder))
    RESUMES_PARSED.inc()
    queries = [job.title or " ".join(job.duties)[:200] for job in jobs]
    predictions = await asyncio.to_thread(coder.predict, queries, 3)
    log_predictions(coder.model_version, queries, predictions)
    found = []
    for job, query, occupations in zip(jobs, queries, predictions, strict=True):
        tasks = await task_queries.tasks_of(conn, version, occupations[0].soc_code)
        found.append(
            {
                "title": job.title,
                "employer": job.employer,
                "start_year": job.start_year,
                "end_year": job.end_year,
                "duties": job.duties,
                "occupations": [
                    {"soc_code": p.soc_code, "title": p.title, "confidence": p.confidence}
                    for p in occupations
                ],
                "proposed_tasks": await asyncio.to_thread(_propose, job.duties, tasks),
                "unsure": is_unsure(occupations),
                "coder_input_sha256": input_hash(query),
            }
        )
    return {"data_version": version, "model_version": coder.model_version, "jobs": found}
