"""`occurisk-dbt`: the dbt command, started warm.

dbt spends 2 s of CPU importing itself (3.5 s without compiled bytecode: networkx, mashumaro's schemas, every
artifact class) before it reads a file, and a release build starts it four times. The first `occurisk-dbt`
starts a server that imports dbt once and waits on a socket in a private folder; each call hands the server
its arguments, working folder, environment and standard streams, and the server forks a child that runs dbt
with exactly those, as a fresh `dbt` would. The caller keeps dbt's exit status and forwards its signals to
it; a caller that dies takes its dbt with it. The server stops after IDLE_S (or OCCURISK_DBT_WARM_IDLE_S)
seconds without work. With OCCURISK_DBT_WARM=0, or when no server can be reached, the call runs dbt itself.

This module imports only the standard library at the top: it runs before every dbt command.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

# Part of the server's address: a server of an older protocol is never asked.
PROTOCOL = 1
IDLE_S = 120.0  # a build's dbt steps come well within this of each other; a test session's end, after it
START_TIMEOUT_S = 60
TICK_S = 0.05
STREAMS = 3  # stdin, stdout, stderr
INT = struct.Struct("!i")
# The signals a caller passes on to its dbt. A dbt the caller started itself would inherit the signals the
# caller ignores: the forked dbt ignores the same. (One the caller blocks never reaches it to be passed on.)
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def dbt_itself() -> str:
    """The `dbt` installed beside this interpreter."""
    return str(Path(sys.executable).with_name("dbt"))


def server_folder() -> Path:
    """This user's server for this environment's dbt: the folder holds its socket, start lock and log."""
    from importlib.metadata import version

    stamp = json.dumps([PROTOCOL, sys.prefix, version("dbt-core"), version("dbt-postgres")])
    key = hashlib.sha256(stamp.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"occurisk-dbt-{os.getuid()}-{key}"


# --- the caller -----------------------------------------------------------------------------------------------


def main() -> None:
    """Run dbt with this process's arguments, folder, environment and streams; exit as dbt exits."""
    args = sys.argv[1:]
    if os.environ.get("OCCURISK_DBT_WARM", "1") == "0":
        run_cold(args)
    try:
        server = connect(server_folder())
    except OSError as error:
        print(f"occurisk-dbt: no warm dbt ({error}); starting dbt itself", file=sys.stderr)
        run_cold(args)
    ignored = [int(signum) for signum in FORWARDED if signal.getsignal(signum) == signal.SIG_IGN]
    request = {"args": args, "cwd": os.getcwd(), "env": dict(os.environ), "ignored": ignored}
    request = json.dumps(request).encode()
    try:
        socket.send_fds(server, [INT.pack(len(request))], list(range(STREAMS)))
        server.sendall(request)
        started = receive_exactly(server, INT.size)
    except OSError:
        started = b""
    if not started:  # a server that was stopping as we called: nothing ran yet
        run_cold(args)
    [pid] = INT.unpack(started)
    for signum in set(FORWARDED) - set(ignored):
        signal.signal(signum, lambda signum, frame: forward(pid, signum))
    status = receive_exactly(server, INT.size)
    if not status:
        print("occurisk-dbt: the dbt server stopped before dbt ended", file=sys.stderr)
        sys.exit(2)
    [code] = INT.unpack(status)
    if code < 0:  # dbt died of a signal: so does its caller, as with a dbt of its own
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    sys.exit(code)


def run_cold(args: list[str]) -> None:
    os.execv(dbt_itself(), [dbt_itself(), *args])


def forward(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def receive_exactly(sock: socket.socket, size: int) -> bytes:
    """`size` bytes, or b"" when the other end closed first."""
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return b""
        data += chunk
    return data


def dial(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        raise
    return sock


def connect(folder: Path) -> socket.socket:
    """A connection to the running server; starts one (one caller at a time, under the folder's lock)."""
    folder.mkdir(mode=0o700, exist_ok=True)
    owner = folder.stat()
    # /tmp is shared: a socket in a folder someone else made (or opened to others) could be a stranger's
    # server, and a call sends it the caller's whole environment, secrets included.
    if owner.st_uid != os.getuid() or owner.st_mode & 0o077:
        raise PermissionError(f"{folder} is not this user's private folder")
    with contextlib.suppress(OSError):
        return dial(folder / "socket")
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):
            return dial(folder / "socket")
        with open(folder / "server.log", "ab") as log:
            # The server forks away and this returns at once; it binds the socket once dbt is imported.
            subprocess.run(
                [sys.executable, "-m", "occurisk_assets.dbt.warm", str(folder)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd="/",
                check=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                return dial(folder / "socket")
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(TICK_S)


# --- the server -----------------------------------------------------------------------------------------------


def serve(folder: Path) -> None:
    """Import dbt, listen, fork one child per call, report each child's exit status to its caller."""
    if os.fork():
        os._exit(0)  # the caller that started the server waits only for this
    os.setsid()
    # The first caller's blocked signals are not its children's; a terminal's Ctrl-C is for the callers' dbt.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from dbt.cli.main import cli  # the reason for the server: imported once, inherited by every child

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    staged = folder / f"socket.{os.getpid()}"
    listener.bind(str(staged))
    ours = staged.stat().st_ino
    listener.listen(64)
    os.replace(staged, folder / "socket")  # callers see the socket only once it accepts
    idle_s = float(os.environ.get("OCCURISK_DBT_WARM_IDLE_S", IDLE_S))
    callers: dict[socket.socket, int] = {}
    idle_since = time.monotonic()
    while callers or time.monotonic() - idle_since < idle_s:
        readable, _, _ = select.select([listener, *callers], [], [], TICK_S)
        for ready in readable:
            if ready is listener:
                caller, _ = listener.accept()
                pid = start_child(caller, listener, callers, cli)
                if pid:
                    callers[caller] = pid
                else:
                    caller.close()
            else:  # a caller sends nothing after its request: this is its end, so end its dbt too
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(callers[ready], signal.SIGKILL)
        for caller, code in reap(callers):
            with contextlib.suppress(OSError):
                caller.sendall(INT.pack(code))
            caller.close()
            del callers[caller]
            idle_since = time.monotonic()
    with contextlib.suppress(FileNotFoundError):
        # Only our own socket: a newer server may have taken the name after we stopped accepting.
        if (folder / "socket").stat().st_ino == ours:
            (folder / "socket").unlink()


def reap(callers: dict[socket.socket, int]) -> list[tuple[socket.socket, int]]:
    """The callers whose dbt has ended, with its exit code (negative: the signal that ended it)."""
    ended = []
    for caller, pid in callers.items():
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            ended.append((caller, os.waitstatus_to_exitcode(status)))
    return ended


def start_child(caller: socket.socket, listener: socket.socket, callers: dict, cli) -> int | None:
    """Read one request and fork the dbt that serves it; None when the request is not whole or not ours."""
    peer = caller.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    if struct.unpack("3i", peer)[1] != os.getuid():
        return None  # only this user may have its dbt run as this user
    caller.settimeout(10)
    streams: list[int] = []
    try:
        header, streams, _, _ = socket.recv_fds(caller, INT.size, STREAMS)
        request = json.loads(receive_exactly(caller, INT.unpack(header)[0]))
    except (OSError, ValueError, struct.error):
        request = None
    if request is None or len(streams) != STREAMS:
        for fd in streams:
            os.close(fd)
        return None
    pid = os.fork()
    if pid == 0:
        run_child(request, streams, [listener, caller, *callers], cli)
    for fd in streams:
        os.close(fd)
    caller.settimeout(None)
    with contextlib.suppress(OSError):  # a caller already gone is seen as gone by the server's loop
        caller.sendall(INT.pack(pid))
    return pid


def run_child(request: dict, streams: list[int], inherited: list[socket.socket], cli) -> None:
    """In the forked child: become the caller's dbt, then exit with its status."""
    code = 1
    try:
        os.setpgid(0, 0)  # its own group, so ending it ends anything dbt starts
        for signum in FORWARDED:  # what a Python process started by the caller would have
            if signum in request["ignored"]:
                signal.signal(signum, signal.SIG_IGN)
            else:
                signal.signal(
                    signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL
                )
        for sock in inherited:
            sock.close()
        for number, fd in enumerate(streams):
            os.dup2(fd, number)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["dbt", *request["args"]]
        try:
            cli.main(args=request["args"], prog_name="dbt")  # click names the command as the dbt script does
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # before dbt ran (a working folder gone, say): the caller's stderr says why
        traceback.print_exc()
    finally:
        import atexit

        atexit._run_exitfuncs()  # what a dbt process of its own runs as it exits (log handlers)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
