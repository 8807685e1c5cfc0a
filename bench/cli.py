"""How fast `occurisk --help` and a light command answer, in a fresh interpreter each time, against an
empty interpreter (`python -c pass`) and the import the command table avoids (`import dagster`)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from bench.common import machine, median, temporary_server, timed, write_section
from occurisk_assets.lib.settings import PROJECT_ROOT

REPEAT = 5
OCCURISK = os.path.join(os.path.dirname(sys.executable), "occurisk")


def run(command: list[str]) -> None:
    subprocess.run(command, cwd=PROJECT_ROOT, env=os.environ, check=True, capture_output=True)


def main() -> dict:
    with temporary_server():
        cases = {
            "`python -c pass` (baseline: the interpreter alone)": [sys.executable, "-c", "pass"],
            "`occurisk --help`": [OCCURISK, "--help"],
            "`occurisk versions list` (one query to the database)": [OCCURISK, "versions", "list"],
            "`python -c 'import dagster'` (what the command table avoids)": [
                sys.executable,
                "-c",
                "import dagster",
            ],
        }
        run(cases["`occurisk --help`"])  # warm the file cache: every case then reads warm files
        seconds = {name: median(timed(lambda c=command: run(c), REPEAT)) for name, command in cases.items()}
    baseline = seconds["`python -c pass` (baseline: the interpreter alone)"]
    rows = "\n".join(f"| {name} | {s:.3f} | {s - baseline:+.3f} |" for name, s in seconds.items())
    write_section(
        "cli",
        f"""## The `occurisk` command's start-up (bench/cli.py)

Wall time of one command in a fresh process, median of {REPEAT} runs each, measured {date.today()} on
{machine()} (a machine shared with other work: compare rows of the same run, not runs).

| command | median seconds | over the baseline |
|---|---|---|
{rows}

`occurisk --help` lists the commands from the table in `occurisk_assets/cli.py`; a command's module (and
Dagster, dbt, SciPy with it) is imported only when that command runs.
""",
    )
    return seconds


if __name__ == "__main__":
    print(main())
