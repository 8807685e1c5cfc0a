"""`make bench`: every benchmark in turn; each writes its own section of docs/benchmarks.md."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHMARKS = [
    "bench.cli",
    "bench.executor",
    "bench.ingest",
    "bench.scoring",
    "bench.api",
    "bench.careers",
    "bench.postings",
    "bench.web",
    "bench.assistant",
    "bench.korean_pdf",
    "bench.text",
    "bench.coder",
    "bench.coder_files",
    "bench.dbt_start",
    "bench.voice",
    "bench.overload",
]

if __name__ == "__main__":
    for name in BENCHMARKS:
        print(f"== {name}")
        importlib.import_module(name).main()
