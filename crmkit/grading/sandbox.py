"""Run one hand-in in a bubblewrap sandbox with limits, and collect what it sends out.

Each hand-in gets its own ``bwrap``: new user, PID, network, IPC and UTS namespaces (it sees only
its own processes and has no network), a private ``/tmp`` and working folder (size-limited tmpfs),
and read-only views of only the Python installation, the virtual environment, the ``crmkit``
package and its own input folder (the notebook copy). The submissions folder, the masters,
``exercises/_build``, the gradebook and the home folder are not there. Resource limits
(``prlimit``): address space (default 2 GiB per process), CPU seconds, processes, file size and
open files; the grader adds the wall-clock limit, an output cap, and watches the sandbox's processes
together (:func:`usage`): it stops the hand-in when their resident memory in total passes the memory
limit, or when they sit at the process limit (a fork bomb) instead of waiting for the time limit. When the run ends, the
sandbox's PID namespace ends with it, so every process it started is gone.

Answers come out on a pipe (never a file the sandbox could keep rewriting): see
:mod:`crmkit.grading._harness`.
"""
from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os import PathLike

__all__ = ["Limits", "RunResult", "bwrap_path", "sandbox_command", "run_sandboxed", "kill_all",
           "usage",
           "UNPROTECTED"]

#: What grading without the sandbox (``--no-sandbox``) cannot protect, said to the instructor.
UNPROTECTED = ("without the sandbox a hand-in runs as you: it can read the masters, hidden "
               "tests and other hand-ins, signal the grader, use the network and leave processes "
               "behind; only the time, memory and output limits still apply")


@dataclass
class Limits:
    """Per-hand-in limits."""

    timeout: float = 120.0          # wall-clock seconds
    memory: int = 2 * 1024 ** 3     # bytes: address space per process AND resident memory in total
    processes: int = 64             # processes and threads in the sandbox
    output: int = 2_000_000         # bytes of printed output kept (the run stops beyond)
    answers: int = 32_000_000       # bytes of answer data accepted
    disk: int = 256 * 1024 ** 2     # size of the private /tmp and working folder, each


@dataclass
class RunResult:
    """What one sandboxed run produced (all of it untrusted)."""

    answers: bytes = b""
    output: bytes = b""
    returncode: int | None = None
    stopped: str = ""               # why the grader stopped the run, if it did
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)


#: Seconds between two looks at the sandbox's processes (memory in total, process count).
POLL = 0.2
#: Looks in a row at the process limit that count as a fork bomb (a short burst is allowed).
FULL_POLLS = 5
_PAGE = os.sysconf("SC_PAGE_SIZE")

_LIVE: dict[int, subprocess.Popen] = {}
_LIVE_LOCK = threading.Lock()


def bwrap_path() -> str | None:
    """The bubblewrap executable, or None when it is not installed."""
    return shutil.which("bwrap")


def _ro(path) -> list[str]:
    return ["--ro-bind", str(path), str(path)]


def sandbox_command(in_dir: Path, fd: int, env: dict, limits: Limits, *,
                    sandbox: bool = True) -> list[str]:
    """The ``prlimit … bwrap …`` command that runs the harness on ``in_dir`` (answers to ``fd``).

    With ``sandbox=False`` only ``prlimit`` wraps the harness (see :data:`UNPROTECTED`); the caller
    then runs it with ``env`` as its whole environment, in a private working folder.
    """
    import crmkit

    package = Path(crmkit.__file__).resolve().parent
    harness = [str(Path(sys.executable)), "-P", "-m", "crmkit.grading._harness"]
    cmd = ["prlimit", f"--as={limits.memory}", f"--cpu={int(limits.timeout) + 5}",
           f"--nproc={limits.processes}", f"--fsize={limits.disk}", "--nofile=1024", "--core=0"]
    if not sandbox:
        return cmd + harness + [str(in_dir), str(fd)]
    cmd += [bwrap_path() or "bwrap",
           "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
           "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr"]
    for top in ("bin", "lib", "lib64", "sbin"):
        path = Path("/") / top
        if path.is_symlink():
            cmd += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            cmd += _ro(path)
    for name in ("ld.so.cache", "localtime", "fonts"):
        if (Path("/etc") / name).exists():
            cmd += _ro(Path("/etc") / name)
    # The private /tmp comes before the read-only views: bwrap mounts in order, so a kit that lives
    # under /tmp (a CI clone, a student release unpacked there) would otherwise be hidden by it.
    # bwrap's /dev is a tmpfs as large as half the RAM, and writable: files there would be memory
    # outside every limit, so /dev is read-only and /dev/shm a small tmpfs of its own
    cmd += ["--dev", "/dev", "--size", str(min(limits.disk, 64 * 1024 ** 2)), "--tmpfs", "/dev/shm",
            "--remount-ro", "/dev",
            "--proc", "/proc", "--size", str(limits.disk), "--tmpfs", "/tmp"]
    seen = set()
    for path in (Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), package):
        if path not in seen and not str(path).startswith("/usr"):
            cmd += _ro(path)
            seen.add(path)
    cmd += ["--dir", "/sandbox", "--ro-bind", str(in_dir), "/sandbox/in",
            "--size", str(limits.disk), "--tmpfs", "/sandbox/work", "--chdir", "/sandbox/work",
            "--clearenv"]
    for key, value in env.items():
        cmd += ["--setenv", key, str(value)]
    return cmd + harness + ["/sandbox/in", str(fd)]


def kill_all() -> None:
    """Kill every sandbox still running (used on Ctrl-C)."""
    with _LIVE_LOCK:
        procs = list(_LIVE.values())
    for proc in procs:
        _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # bwrap's session; its PID namespace dies with it
    except (ProcessLookupError, PermissionError):
        pass


def _stat(pid: str):
    """``(ppid, threads, rss_bytes)`` of one process from ``/proc/<pid>/stat``, or None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            text = fh.read()
    except OSError:
        return None
    fields = text[text.rfind(b")") + 2:].split()  # the name may hold spaces and parentheses
    try:
        return int(fields[1]), int(fields[17]), int(fields[21]) * _PAGE
    except (IndexError, ValueError):
        return None


def usage(root: int) -> tuple[int, int]:
    """Resident bytes and tasks (processes and threads) of ``root`` and all its descendants.

    The bytes include the in-memory files (``memfd_create``) they hold open, counted once.

    Every process a sandbox starts descends from its ``bwrap`` (a double-forked one is adopted by
    the sandbox's own PID-namespace init, itself a child of ``bwrap``), so walking the parent links
    of ``/proc`` finds them all, whatever they call themselves.

    Examples
    --------
    >>> rss, tasks = usage(os.getpid())
    >>> rss > 0 and tasks >= 1
    True
    """
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _stat(entry)
            if info is not None:
                table[int(entry)] = info
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    rss = tasks = 0
    todo, seen, files = [root], set(), {}
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in table:
            continue
        seen.add(pid)
        rss += table[pid][2]
        tasks += table[pid][1]
        todo += children.get(pid, [])
        files.update(_memory_files(pid))
    return rss + sum(files.values()), tasks


def _memory_files(pid: int) -> dict:
    """``{inode: bytes}`` of the in-memory files (``memfd_create``) a process holds open: RAM that
    no RSS shows until it is mapped, and that no disk quota bounds."""
    found = {}
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return found
    for fd in fds:
        path = f"/proc/{pid}/fd/{fd}"
        try:
            if os.readlink(path).startswith("/memfd:"):
                st = os.stat(path)
                found[(st.st_dev, st.st_ino)] = st.st_blocks * 512
        except OSError:
            continue
    return found


class _Watch:
    """Stops a sandbox whose processes together pass the memory limit, that has more processes
    than the limit, or that sits at the limit (a fork bomb) for :data:`FULL_POLLS` looks in a row."""

    def __init__(self, pid: int, limits: Limits):
        self.pid, self.limits, self.full, self.next = pid, limits, 0, 0.0

    def check(self) -> str:
        now = time.monotonic()
        if now < self.next:
            return ""
        self.next = now + POLL
        rss, tasks = usage(self.pid)
        if rss > self.limits.memory:
            return (f"memory limit of {self.limits.memory / 1024 ** 3:.3g} GiB exceeded "
                    f"({rss / 1024 ** 3:.3g} GiB in use by all its processes together); "
                    "the hand-in was stopped.")
        # above the limit: the kernel does not enforce RLIMIT_NPROC (it never does for root), so
        # a fork bomb grows without bound; at the limit for a while: a fork bomb held by it
        self.full = self.full + 1 if tasks >= self.limits.processes - 2 else 0
        if tasks > self.limits.processes or self.full >= FULL_POLLS:
            return (f"too many processes ({tasks} against a limit of {self.limits.processes}: "
                    "a fork bomb?); the hand-in was stopped.")
        return ""


def run_sandboxed(cmd: list[str], fd_pair: tuple[int, int], limits: Limits, *,
                  env: dict[str, str] | None = None, cwd: str | PathLike[str] | None = None) -> RunResult:
    """Start ``cmd`` and read its output and answer pipe within the limits; always reap it."""
    read_fd, write_fd = fd_pair
    result = RunResult()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, pass_fds=(write_fd,),
                                start_new_session=True, close_fds=True, env=env, cwd=cwd)
    finally:
        os.close(write_fd)
    with _LIVE_LOCK:
        _LIVE[proc.pid] = proc
    out, ans = bytearray(), bytearray()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    answers_pipe = os.fdopen(read_fd, "rb", buffering=0)
    sel.register(answers_pipe, selectors.EVENT_READ, "ans")
    watch = _Watch(proc.pid, limits)
    try:
        open_streams = 2
        while open_streams:
            result.stopped = watch.check()
            if result.stopped:
                break
            left = limits.timeout - (time.monotonic() - start)
            if left <= 0:
                result.stopped = (f"time limit of {limits.timeout:g} s exceeded (an endless loop or "
                                  "a very slow cell?); the hand-in was stopped.")
                break
            for key, _ in sel.select(timeout=min(left, POLL)):
                chunk = os.read(key.fileobj.fileno(), 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                buf, cap = (out, limits.output) if key.data == "out" else (ans, limits.answers)
                buf += chunk
                if len(buf) > cap:
                    del buf[cap:]
                    what = "printed output" if key.data == "out" else "answer data"
                    result.stopped = (f"{what} passed the limit of {cap // 1000:,} kB (cut there); "
                                      "the hand-in was stopped.")
                    open_streams = 0
                    break
        # both streams closed: the sandbox may still run (it can close them itself), so keep
        # watching it until it ends or a limit stops it
        deadline = start + max(limits.timeout, time.monotonic() - start + 5.0)
        while not result.stopped and proc.poll() is None:
            result.stopped = watch.check()
            if not result.stopped and time.monotonic() > deadline:
                result.stopped = (f"time limit of {limits.timeout:g} s exceeded after the output "
                                  "was closed; the hand-in was stopped.")
            if not result.stopped:
                time.sleep(POLL / 4)
        if result.stopped:
            _kill(proc)
    finally:
        _kill(proc)  # nothing of the sandbox outlives this call
        proc.wait()
        sel.close()
        proc.stdout.close()
        answers_pipe.close()
        with _LIVE_LOCK:
            _LIVE.pop(proc.pid, None)
    result.answers, result.output = bytes(ans), bytes(out)
    result.returncode = proc.returncode
    result.seconds = time.monotonic() - start
    return result
