"""The site bench/load.py measures, and its server: prepared as a first ``khabar serve`` would, served as ``make serve`` does.

Also the courtesy towards other benchmarks on this machine: wait until no ``wrk`` runs.
"""

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import _support as support


def server_env(data_dir, port):
    """``make serve``'s environment: every inherited KHABAR_* dropped (no Redis, no other database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_") and k not in ("PORT", "DJANGO_SETTINGS_MODULE")}
    env.update(KHABAR_DATA_DIR=str(data_dir), PORT=str(port), PYTHONUNBUFFERED="1",
               KHABAR_COMMENTS_MIN_SECONDS="0", KHABAR_CLIENT_IP_HEADER="X-Forwarded-For")
    return env


def run_logged(cmd, env, log_path, budget, wanted=3600):
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(cmd)}\n".encode())
        log.flush()
        started = time.monotonic()
        done = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                              timeout=budget.timeout(wanted), check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}); see {log_path}")
    return round(time.monotonic() - started, 1)


def prepare_site(args, data_dir, log_path, budget):
    """What ``khabar serve`` does on a first run (schema, site tree, demo content), then the corpus articles."""
    khabar = support.khabar_command()
    env = server_env(data_dir, 8000)
    db = data_dir / "khabar.sqlite3"
    facts = {"reused": db.exists()}
    if not db.exists():
        print(f"preparing a site in {data_dir}: schema, demo content …", flush=True)
        facts["setup_s"] = sum(run_logged([*khabar, "manage", *step], env, log_path, budget)
                               for step in (["migrate", "-v0"], ["khabar_setup"], ["load_demo"]))
    if args.articles > 0:
        if support.CORPUS.exists():
            print(f"importing {args.articles:,} corpus articles (already imported ones are skipped) …", flush=True)
            facts["import_s"] = run_logged([*khabar, "import-articles", str(support.CORPUS), "--limit",
                                            str(args.articles)], env, log_path, budget)
        else:
            print(f"SKIPPED the import: the shared corpus {support.CORPUS} is absent; the demo articles alone are read.")
            facts["corpus"] = "absent"
    return facts


SEED_REGULARS = """
import os
from khabar.comments.models import Comment, Status
from khabar.news.models import ArticlePage
articles = list(ArticlePage.objects.live().order_by("-first_published_at").values_list("pk", flat=True)[:50])
emails = os.environ["LOAD_REGULARS"].split()
Comment.objects.bulk_create([
    Comment(article_id=articles[n % len(articles)], name="قارئ دائم", email=email,
            body="تعليق سابق لقارئ دائم", status=Status.APPROVED)
    for n, email in enumerate(emails)
])
"""


def seed_regulars(readers, data_dir, log_path, budget):
    """An approved comment for each regular reader, so that their next one is published at once."""
    emails = " ".join(readers.email(n) for n in range(readers.regulars))
    if not emails:
        return 0
    env = {**server_env(data_dir, 8000), "LOAD_REGULARS": emails}
    run_logged([*support.khabar_command(), "manage", "shell", "-c", SEED_REGULARS], env, log_path, budget, 600)
    return readers.regulars


class Server:
    """``khabar serve`` and what it starts: granian's main process, its web workers, the task worker."""

    def __init__(self, children, env, port, log_path):
        self.children, self.env, self.port, self.log_path = children, env, port, log_path
        self.proc = None

    def start(self, budget):
        cmd = [*support.khabar_command(), "serve", "--port", str(self.port)]
        with open(self.log_path, "ab") as log:
            self.log_offset = log.tell()
            log.write(f"\n$ {' '.join(cmd)}\n".encode())
            log.flush()
            started = time.monotonic()
            self.proc = self.children.start(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        want = os.cpu_count() or 1
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"khabar serve exited ({self.proc.returncode}); see {self.log_path}")
            if len(self.web_workers()) >= want and _answers(self.port):
                break
            if budget.timeout(300) <= 0 or time.monotonic() - started > 300:
                raise SystemExit(f"khabar serve did not answer within 300 s; see {self.log_path}")
            time.sleep(0.5)
        self.ready_s = round(time.monotonic() - started, 1)
        return self

    def stop(self):
        if self.proc is not None:
            self.children.stop(self.proc, grace=30)
            self.proc = None

    def granian(self):
        return next((pid for pid in support.descendants(self.proc.pid)
                     if "granian" in " ".join(support.cmdline(pid)) and _parent(pid) == self.proc.pid), None)

    def web_workers(self):
        main = self.granian()
        return support.descendants(main) if main else []

    def task_worker(self):
        return next((pid for pid in support.descendants(self.proc.pid)
                     if "khabar.cli worker" in " ".join(support.cmdline(pid))), None)

    def roles(self):
        """pid -> role, for every process of the server."""
        roles = {self.proc.pid: "khabar serve (parent)"}
        if self.granian():
            roles[self.granian()] = "granian main"
        roles.update({pid: "web worker" for pid in self.web_workers()})
        if self.task_worker():
            roles[self.task_worker()] = "task worker"
        return roles


def _parent(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat[stat.rindex(")") + 2:].split()[1])
    except (OSError, ValueError):
        return None


def _answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            return response.status == 200
    except OSError:
        return False


def memory(server):
    rows = []
    for pid, role in server.roles().items():
        rss, peak = support.memory_kib(pid)
        rows.append({"pid": pid, "role": role, "rss_mib": round((rss or 0) / 1024, 1),
                     "peak_rss_mib": round((peak or 0) / 1024, 1)})
    return rows


# --- other benchmarks on the machine -------------------------------------------------------
def wrk_running():
    """True while any process named exactly ``wrk`` runs (what ``pgrep -x wrk`` sees)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "wrk":
                    return True
            except OSError:
                continue
    return False


def wait_for_no_wrk(seconds, budget):
    """Block until no wrk has run for ``seconds`` in a row (another engineer's benchmark owns the CPU)."""
    started = last_seen = time.monotonic()
    seen = False
    while True:
        if wrk_running():
            if not seen:
                print(f"wrk is running (another benchmark): waiting until it has been gone for {seconds:.0f} s …",
                      flush=True)
            seen, last_seen = True, time.monotonic()
        elif time.monotonic() - last_seen >= seconds:
            return round(time.monotonic() - started, 1)
        budget.timeout(1)
        time.sleep(1)


def wait_until_quiet(own_pids, quiet_seconds, max_wait, budget, max_other=25.0):
    """Before the run: no wrk for ``quiet_seconds``, then the rest of the machine under ``max_other`` % CPU.

    Other engineers run benchmarks and test suites here; a load run beside them measures
    neither. After ``max_wait`` seconds the run goes ahead, marked not quiet.
    """
    started = time.monotonic()
    told = False
    while True:
        wait_for_no_wrk(quiet_seconds, budget)
        seen = support.wait_for_quiet(own_pids, max_other=max_other, max_own=15.0, window=5.0, timeout=0)
        waited = time.monotonic() - started
        if (seen["quiet"] and not wrk_running()) or waited >= max_wait:
            return {**seen, "waited_s": round(waited, 1)}
        if not told:
            print(f"the machine is busy (other processes: {seen['other_cpu_pct']} % CPU): waiting for it to settle …",
                  flush=True)
            told = True
        budget.timeout(10)
        time.sleep(10)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
