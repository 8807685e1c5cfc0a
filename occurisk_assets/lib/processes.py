"""Processes by id, read from /proc (Linux): whether one lives, when it started, which processes descend
from it. Crash recovery and `occurisk up`'s shutdown rely on these."""

from __future__ import annotations

import os
import time


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state [0], ppid [1], session [3], start time
    [19])."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def start_time(pid: int) -> float | None:
    """When process `pid` started (seconds since the epoch), or None when there is no such process."""
    fields = _stat_fields(pid)
    if fields is None or fields[0] == "Z":
        return None
    # Boot time from the uptime, not /proc/stat's btime: btime is whole seconds, up to 1 s early.
    with open("/proc/uptime") as fh:
        boot = time.time() - float(fh.read().split()[0])
    return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def alive(pid: int, not_after: float | None = None) -> bool:
    """Whether `pid` runs (not a zombie) and, when `not_after` is given, started no later than then: a pid
    reused by a process started after that moment is another process."""
    started = start_time(pid)
    if started is None:
        return False
    return not_after is None or started <= not_after + 2.0  # clock-tick rounding of /proc times


def descendants(pid: int) -> set[int]:
    """Every process below `pid` in the process tree, whatever its process group or session."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat_fields(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def in_session(session_id: int) -> set[int]:
    """Every live process of session `session_id`, including those orphaned and adopted by init since."""
    found = set()
    for entry in os.listdir("/proc"):
        fields = _stat_fields(int(entry)) if entry.isdigit() else None
        if fields is not None and int(fields[3]) == session_id and fields[0] != "Z":
            found.add(int(entry))
    return found
