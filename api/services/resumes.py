"""Reading an existing résumé: the jobs in it, each with its likely occupations (the occupation coder) and
the O*NET tasks of the first one that match what the person wrote. Nothing is stored. The work of
POST /resumes/parse and of the résumé step under /my-work."""

from __future__ import annotations

import asyncio

import numpy as np

from api.queries import tasks as task_queries
from api.services.errors import Unavailable
from occurisk_assets.defs.assistant.parsing import split_jobs
from occurisk_assets.defs.coder import CoderNotTrained, load_production_coder
from occurisk_assets.defs.coder.serving import log_predictions

PROPOSED_TASKS = 8
MIN_TASK_SIMILARITY = 0.05


def _propose(coder, duties: list[str], tasks: list[dict]) -> list[dict]:
    """The occupation's tasks closest to the person's own words (cosine of the coder's TF-IDF features);
    without duties, its first tasks (core first)."""
    if not tasks:
        return []
    if not duties:
        return [{**t, "similarity": None} for t in tasks[:PROPOSED_TASKS]]
    vectors = coder.features.transform([" ".join(duties)] + [t["task_statement"] for t in tasks])
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()) + 1e-9
    similarity = (vectors[1:] @ vectors[0].T).toarray().ravel() / (norms[1:] * norms[0])
    order = np.argsort(-similarity, kind="stable")[:PROPOSED_TASKS]
    return [
        {**tasks[i], "similarity": round(float(similarity[i]), 4)}
        for i in order
        if similarity[i] >= MIN_TASK_SIMILARITY
    ]


async def parse_text(conn, version: str, text: str) -> dict:
    """The jobs in a résumé's text, coded (the API's answer; the résumé page shows the same). Unavailable
    when no occupation coder is trained."""
    jobs = split_jobs(text)
    try:
        coder = await asyncio.to_thread(load_production_coder, version)
    except CoderNotTrained as exc:
        raise Unavailable(str(exc)) from exc
    queries = [job.title or " ".join(job.duties)[:200] for job in jobs]
    predictions = await asyncio.to_thread(coder.predict, queries, 3)
    log_predictions(coder.model_version, queries, predictions)
    found = []
    for job, occupations in zip(jobs, predictions, strict=True):
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
                "proposed_tasks": _propose(coder, job.duties, tasks),
            }
        )
    return {"data_version": version, "model_version": coder.model_version, "jobs": found}
