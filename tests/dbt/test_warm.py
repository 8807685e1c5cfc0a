"""`occurisk-dbt` (occurisk_assets/dbt/warm.py), the dbt the assets run: it answers exactly as dbt itself does
(output, exit status, signals, the caller's folder and environment), a caller killed takes its dbt with it,
the server refuses a folder others could reach and stops when idle. Each test has a server of its own (a
private TMPDIR), so a build on another worker cannot meet it."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from occurisk_assets.lib import processes

WARM = str(Path(sys.executable).with_name("occurisk-dbt"))
COLD = str(Path(sys.executable).with_name("dbt"))
# dbt's log lines start with a clock time; the rest of each line must match.
CLOCK = re.compile(r"^(\x1b\[0m)?\d\d:\d\d:\d\d\s+", re.M)
# Jinja loops of 10^10 steps: parsing this model keeps dbt busy far longer than any test waits, no database.
SPIN = '{{ log("spinning for " ~ env_var("CALLER"), info=True) }}' + (
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\nselect 1 as one\n"
)


@pytest.fixture
def private_tmp(monkeypatch):
    """A short private TMPDIR (a socket's path must stay under 108 bytes): the test's own server."""
    folder = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(folder))
    yield folder
    for server in servers(folder):  # and every dbt it forked: one left spinning would take a core
        for pid in processes.in_session(server):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def servers(tmp: Path) -> list[int]:
    """The live servers of folders under `tmp`: each leads its own session; the dbt it forks share it."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        folder = [arg for arg in cmdline if arg.startswith(str(tmp).encode())]
        if b"occurisk_assets.dbt.warm" in cmdline and folder and stat[3] == entry and stat[0] != "Z":
            found.append(int(entry))
    return found


def project(tmp: Path, model: str) -> Path:
    root = tmp / "project"
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: probe\nversion: '1.0'\nprofile: probe\n")
    (root / "profiles.yml").write_text(
        "probe:\n  target: dev\n  outputs:\n    dev: {type: postgres, host: 127.0.0.1, port: 1, user: u,"
        " password: p, dbname: d, schema: s, threads: 1}\n"
    )
    (root / "models" / "probe.sql").write_text(model)
    return root


def parse(executable: str, root: Path, caller: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [
            executable,
            "parse",
            "--no-partial-parse",
            "--profiles-dir",
            ".",
            "--target-path",
            f"target-{caller}",
        ],
        cwd=root,
        env={**os.environ, "CALLER": caller},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def test_a_warm_call_answers_as_dbt_itself(private_tmp):
    root = project(private_tmp, '{{ log("made for " ~ env_var("CALLER"), info=True) }}\nselect 1 as one\n')
    outputs, codes = {}, {}
    for name, executable in (("cold", COLD), ("first", WARM), ("second", WARM)):  # "second" finds the server
        call = parse(executable, root, name)
        outputs[name] = CLOCK.sub("", call.communicate()[0]).replace(name, "caller")
        codes[name] = call.returncode
    assert codes == {"cold": 0, "first": 0, "second": 0}
    assert "made for caller" in outputs["cold"]
    assert outputs["first"] == outputs["second"] == outputs["cold"]
    # Each wrote its own target folder, inside the caller's working folder.
    assert {p.name for p in root.glob("target-*")} == {"target-cold", "target-first", "target-second"}

    (root / "models" / "broken.sql").write_text("select {{ 1 + }}\n")
    for name, executable in (("cold", COLD), ("warm", WARM)):
        call = parse(executable, root, name)
        outputs[name] = CLOCK.sub("", call.communicate()[0]).replace(name, "caller")
        codes[name] = call.returncode
    assert codes["cold"] == codes["warm"] == 2
    assert "Compilation Error in model broken" in outputs["cold"]
    assert outputs["warm"] == outputs["cold"]
    assert len(servers(private_tmp)) == 1


def wait_for(process: subprocess.Popen, text: str) -> str:
    seen = ""
    while text not in seen:
        line = process.stdout.readline()
        assert line, f"dbt ended before saying {text!r}: {seen}"
        seen += line
    return seen


def test_signals_to_the_caller_do_to_its_dbt_what_they_do_to_dbt_itself(private_tmp):
    root = project(private_tmp, SPIN)

    def sigint_ignored_sigterm_default() -> None:  # what a caller's dbt inherits, whatever the worker had
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, [])

    statuses = {}
    for name, executable in (("cold", COLD), ("warm", WARM)):
        running = parse(executable, root, name, preexec_fn=sigint_ignored_sigterm_default)
        try:
            wait_for(running, f"spinning for {name}")
            running.send_signal(signal.SIGINT)  # ignored by the caller, so by its dbt
            time.sleep(1)
            assert running.poll() is None
            running.terminate()  # SIGTERM: the warm caller passes it on, then ends as its dbt ended
            running.communicate(timeout=60)
            statuses[name] = running.returncode
        finally:
            running.kill()  # a dbt left spinning would take a core from the rest of the suite
    assert statuses == {"cold": -signal.SIGTERM, "warm": -signal.SIGTERM}
    assert not processes.descendants(servers(private_tmp)[0])  # no dbt left running


def test_a_killed_caller_takes_its_dbt_with_it(private_tmp):
    root = project(private_tmp, SPIN)
    running = parse(WARM, root, "doomed")
    wait_for(running, "spinning for doomed")
    [server] = servers(private_tmp)
    its_dbt = processes.descendants(server)  # the forked dbt and what it started
    assert its_dbt
    running.kill()
    running.wait()
    deadline = time.monotonic() + 10
    while any(map(processes.alive, its_dbt)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(processes.alive, its_dbt))
    assert processes.alive(server)  # the server stays for the next caller


def test_the_server_stops_when_idle_and_a_new_call_starts_another(private_tmp, monkeypatch):
    monkeypatch.setenv("OCCURISK_DBT_WARM_IDLE_S", "1")
    root = project(private_tmp, "select 1 as one\n")
    assert parse(WARM, root, "one").wait() == 0
    [first] = servers(private_tmp)
    deadline = time.monotonic() + 30
    while processes.alive(first) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes.alive(first)
    assert not list(private_tmp.glob("occurisk-dbt-*/socket"))

    assert parse(WARM, root, "two").wait() == 0
    assert len(servers(private_tmp)) == 1 and servers(private_tmp) != [first]


def test_a_folder_others_can_reach_is_refused_and_dbt_runs_itself(private_tmp):
    root = project(private_tmp, "select 1 as one\n")
    folder = subprocess.run(
        [sys.executable, "-c", "from occurisk_assets.dbt.warm import server_folder; print(server_folder())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(folder).mkdir(mode=0o777)
    os.chmod(folder, 0o777)  # the umask would have narrowed it

    done = parse(WARM, root, "careful")
    out = done.communicate()[0]

    assert done.returncode == 0
    assert "is not this user's private folder); starting dbt itself" in out
    assert servers(private_tmp) == []


def test_switched_off_it_runs_dbt_itself(private_tmp, monkeypatch):
    monkeypatch.setenv("OCCURISK_DBT_WARM", "0")
    root = project(private_tmp, "select 1 as one\n")
    assert parse(WARM, root, "plain").wait() == 0
    assert servers(private_tmp) == [] and not list(private_tmp.glob("occurisk-dbt-*"))
