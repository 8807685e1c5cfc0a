"""Starting dbt (bench/dbt_start.py): `dbt parse` of the project (from its saved parse, as a build's steps start)
through `occurisk-dbt` (occurisk_assets/dbt/warm.py: dbt imported once by a server, forked per call) against
dbt itself (the baseline), both in the same run. Every dbt step of a release build (four per build) pays this
start before its first model."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, median, write_section  # noqa: E402
from occurisk_assets.dbt.project import dbt_executable, parse_command, warm_dbt_executable  # noqa: E402

REPEAT = 5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reaped_cpu(pid: int) -> float:
    """CPU seconds of the children `pid` has reaped (the warm server's forked dbt)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / CLOCK_TICKS


def server_pid(tmp: str) -> int | None:
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            session = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[3]
        except OSError:
            continue
        if session == entry and any(arg.startswith(tmp.encode()) for arg in cmdline):
            return int(entry)
    return None


def parse(executable: str, target: Path) -> None:
    subprocess.run(parse_command(executable, target), check=True, capture_output=True)


def measure(executable: str, target: Path, tmp: str) -> dict:
    """Seconds of wall and of CPU per call (the callers' and their dbt's), median of REPEAT calls."""
    walls, cpus = [], []
    for _ in range(REPEAT):
        server = server_pid(tmp)
        before = children_cpu() + (reaped_cpu(server) if server else 0.0)
        started = time.perf_counter()
        parse(executable, target)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() + (reaped_cpu(server) if server else 0.0) - before)
    return {"wall": median(walls), "cpu": median(cpus)}


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="b", dir="/tmp") as tmp:
        os.environ["TMPDIR"] = tmp  # a server of this run's own, started below and stopped at the end
        cold_target, warm_target = Path(tmp) / "cold", Path(tmp) / "warm"
        parse(dbt_executable(), cold_target)  # each target gets its saved parse, as a build's steps have
        started = time.perf_counter()
        parse(warm_dbt_executable(), warm_target)
        first_warm = time.perf_counter() - started  # includes starting the server
        results = {
            "cold": measure(dbt_executable(), cold_target, tmp),
            "warm": measure(warm_dbt_executable(), warm_target, tmp),
            "first_warm": first_warm,
        }
        if (server := server_pid(tmp)) is not None:
            os.kill(server, 15)
    write_section("dbt_start", report(results))
    return results


def report(results: dict) -> str:
    cold, warm = results["cold"], results["warm"]
    return f"""## Starting dbt (bench/dbt_start.py)

`dbt parse` of dbt_project/ from its saved parse, {REPEAT} calls each (median); the baseline is dbt itself,
in the same run. CPU counts the caller and its dbt (for `occurisk-dbt`, the child the server forked and
reaped). Not counted: the first call of each, which wrote the saved parse; the first `occurisk-dbt` call also
started the server ({results["first_warm"]:.1f} s in all). {machine()}.

| | dbt (before) | occurisk-dbt |
|---|---|---|
| wall (s) | {cold["wall"]:.2f} | {warm["wall"]:.2f} |
| CPU (s) | {cold["cpu"]:.2f} | {warm["cpu"]:.2f} |

A release build starts dbt four times: about {4 * (cold["cpu"] - warm["cpu"]):.0f} s of CPU less per build.
"""


if __name__ == "__main__":
    main()
