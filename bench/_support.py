"""What every khabar benchmark needs: machine facts, a time budget, child processes, results.

Benchmarks run as scripts (``python bench/pages.py``), so this module is imported by
its bare name. It uses only the standard library: a benchmark must start even where
khabar's own imports would fail.
"""

import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
CORPUS = Path(os.environ.get("KHABAR_BENCH_CORPUS", "/work/shared/corpus/arabic-news.jsonl.gz"))


def khabar_command():
    """The ``khabar`` entry point of the interpreter running the benchmark (the project's venv)."""
    beside = Path(sys.executable).with_name("khabar")
    if beside.exists():
        return [str(beside)]
    return [sys.executable, "-m", "khabar.cli"]


def machine_facts():
    facts = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        facts["cpu"] = cpu
    except (OSError, StopIteration):
        pass
    try:
        total_kb = next(
            int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        facts["memory_gib"] = round(total_kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    try:
        facts["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    try:
        facts["git_commit"] = subprocess.run(
            ["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=5,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO_DIR), "status", "--porcelain", "--", "src"],
            capture_output=True, text=True, timeout=5,
        ).stdout.strip()
        facts["src_dirty"] = bool(dirty)
        if dirty:
            facts["src_state"] = _src_state()
    except (OSError, subprocess.SubprocessError):
        pass
    return facts


def _src_state():
    """A short hash of src/ as it differs from HEAD (edits and new files), to tell runs of one tree apart."""
    import hashlib

    digest = hashlib.sha256()
    digest.update(subprocess.run(["git", "-C", str(REPO_DIR), "diff", "HEAD", "--", "src"],
                                 capture_output=True, timeout=10).stdout)
    untracked = subprocess.run(["git", "-C", str(REPO_DIR), "ls-files", "--others", "--exclude-standard", "--", "src"],
                               capture_output=True, text=True, timeout=10).stdout.split()
    for name in sorted(untracked):
        digest.update(name.encode())
        try:
            digest.update((REPO_DIR / name).read_bytes())
        except OSError:
            pass
    return digest.hexdigest()[:12]


def skip_without_corpus():
    """Exit cleanly, saying why, when the shared corpus is not on this machine."""
    if not CORPUS.exists():
        print(f"SKIPPED: the shared corpus {CORPUS} is absent (set KHABAR_BENCH_CORPUS to another copy).")
        sys.exit(0)


class OutOfTime(RuntimeError):
    """The benchmark's own time budget ran out."""


class Budget:
    """A wall-clock deadline for the whole benchmark; every wait asks it how long it may take."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.started = time.monotonic()
        self.deadline = self.started + seconds

    def left(self):
        return self.deadline - time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.started

    def timeout(self, wanted=None):
        """Seconds a step may take: what it wants, capped by what is left; OutOfTime when nothing is."""
        left = self.left()
        if left <= 0:
            raise OutOfTime(f"time budget of {self.seconds:.0f} s used up")
        return left if wanted is None else min(wanted, left)


class Children:
    """Processes this benchmark started, each in its own session, stopped by process group on exit."""

    def __init__(self):
        self.procs = []

    def start(self, args, **kwargs):
        proc = subprocess.Popen(args, start_new_session=True, **kwargs)
        self.procs.append(proc)
        return proc

    def stop(self, proc, grace=10.0):
        """SIGTERM to the child's process group (it leads it), SIGKILL after ``grace`` seconds."""
        if proc.poll() is None:
            _signal_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                _signal_group(proc.pid, signal.SIGKILL)
                proc.wait(5)
        # Grandchildren (gunicorn workers) may outlive a leader that exited first.
        _signal_group(proc.pid, signal.SIGKILL)
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self):
        for proc in reversed(list(self.procs)):
            try:
                self.stop(proc)
            except Exception as error:  # keep stopping the others
                print(f"warning: could not stop pid {proc.pid}: {error}", file=sys.stderr)


def _signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def terminate_as_interrupt():
    """Turn SIGTERM into KeyboardInterrupt so ``finally`` blocks stop the children."""

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def descendants(pid):
    """Pids of every live descendant of ``pid``, read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def system_busy_seconds():
    """CPU seconds spent outside idle and iowait by all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def memory_kib(pid):
    """(current RSS, peak RSS) of a process in KiB, from /proc/<pid>/status."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0])
    except OSError:
        pass
    return values.get("VmRSS"), values.get("VmHWM")


def render_table(headers, rows, align=None):
    """A plain-text table; ``align`` is a string of 'l'/'r' per column."""
    align = align or "l" + "r" * (len(headers) - 1)
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, align))

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells[1:]]
    return "\n".join(out)


def write_results(name, data, echo=True):
    """Write the JSON object to bench/results/<name>.json (and print it, unless ``echo`` is false); return the path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    if echo:
        print(text)
    print(f"(written to {path.relative_to(REPO_DIR)})")
    return path


def process_cpu_seconds(pids):
    """User+system CPU seconds used so far by the given processes (those that have exited count nothing)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def wait_for_quiet(own_pids, max_other=20.0, max_own=10.0, window=2.0, timeout=90.0):
    """Wait until the machine is quiet enough to measure; return what was seen.

    Quiet means: over ``window`` seconds, the processes of the benchmark itself
    (``own_pids``: the servers, whose last requests must have drained) used less than
    ``max_own`` % of one core, and everything else on the machine less than ``max_other`` %.
    After ``timeout`` seconds the measurement goes ahead anyway and is marked not quiet:
    a shared machine may never fall silent, and a flagged figure beats none.
    """
    started = time.monotonic()
    while True:
        pids = list(own_pids() if callable(own_pids) else own_pids)
        own_before, busy_before = process_cpu_seconds(pids), system_busy_seconds()
        time.sleep(window)
        own = (process_cpu_seconds(pids) - own_before) / window * 100
        other = max((system_busy_seconds() - busy_before) / window * 100 - own, 0.0)
        waited = time.monotonic() - started
        quiet = own < max_own and other < max_other
        if quiet or waited >= timeout:
            return {"quiet": quiet, "waited_s": round(waited, 1), "other_cpu_pct": round(other, 1),
                    "own_cpu_pct": round(own, 1)}
