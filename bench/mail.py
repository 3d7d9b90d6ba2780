"""Newsletter throughput: one daily digest to 10,000 subscribers, with 1 and then 2 task workers.

One setup: a temporary data dir (SQLite, the default single-machine mode) gets
the subscribers and, before each run, a newly published article. Each run
starts N ``khabar worker`` processes, runs ``khabar newsletter send-digest
daily`` (which builds the issue and its delivery rows and queues the sender
tasks), and waits until a local SMTP sink (aiosmtpd on 127.0.0.1, in this
process) has accepted every copy. The sink also checks that no subscriber got
two. Prints a table and a JSON object (also bench/results/mail.json).

    .venv/bin/python bench/mail.py                    # 10,000 subscribers, 1 and 2 workers
    .venv/bin/python bench/mail.py --subscribers 2000 --workers 1
"""

import argparse
import logging
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

NAME = "mail"

SEED = """
from khabar.news.site_tree import ensure_home_page, get_or_create_section
from khabar.newsletter.models import Subscriber
get_or_create_section(ensure_home_page(), "العالم")
Subscriber.objects.bulk_create(
    [Subscriber(email=f"reader{{n:05d}}@example.org", status="active", daily=True) for n in range({count})],
    batch_size=1000,
)
"""

PUBLISH = """
from wagtail.rich_text import RichText
from khabar.news.models import ArticlePage, SectionPage
page = ArticlePage(title="خبر لقياس النشرة {run}", summary="موجز الخبر في سطرين كما يكتبه المحرر.",
                   body=[("text", RichText("<p>فقرة أولى من الخبر.</p><p>فقرة ثانية.</p>"))])
SectionPage.objects.get().add_child(instance=page)
page.save_revision().publish()
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--subscribers", type=int, default=10000, help="active daily subscribers (default 10000)")
    p.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    p.add_argument("--batch-size", type=int, default=100, help="KHABAR_NEWSLETTER_BATCH_SIZE (default 100)")
    p.add_argument("--budget", type=float, default=1200, help="stop the whole benchmark after this many seconds")
    p.add_argument("--keep", action="store_true", help="keep the temporary data dir (its path is printed)")
    return p.parse_args(argv)


class Sink:
    """aiosmtpd handler: accepts every message, noting recipients and when each arrived."""

    def __init__(self):
        self.lock = threading.Lock()
        self.arrivals = []  # (monotonic time, recipient)

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        with self.lock:
            self.arrivals.extend((now, rcpt.lower()) for rcpt in envelope.rcpt_tos)
        return "250 OK"

    def count(self):
        with self.lock:
            return len(self.arrivals)

    def take(self):
        with self.lock:
            arrivals, self.arrivals = self.arrivals, []
        return arrivals


def start_sink():
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return sink, controller


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def khabar_env(data_dir, smtp_port, workers, batch_size):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHABAR_", "DJANGO_"))}
    env.update(
        KHABAR_DATA_DIR=str(data_dir),
        KHABAR_TASKS_BACKEND="database",
        KHABAR_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        KHABAR_SITE_URL="http://127.0.0.1:8000",
        KHABAR_LOG_LEVEL="INFO",
        KHABAR_NEWSLETTER_SEND_TASKS=str(workers),
        KHABAR_NEWSLETTER_BATCH_SIZE=str(batch_size),
    )
    return env


def run(cmd, env, log_path, budget, wanted):
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(cmd)}\n".encode())
        log.flush()
        started = time.monotonic()
        proc = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=budget.timeout(wanted))
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}); see {log_path}")
    return time.monotonic() - started


def cpu_seconds(pid):
    import os

    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(condition, budget, wanted, what):
    deadline = time.monotonic() + budget.timeout(wanted)
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def one_run(run_number, workers, args, tmp, sink, port, budget, children):
    khabar = support.khabar_command()
    env = khabar_env(tmp / "data", port, workers, args.batch_size)
    log_path = tmp / "khabar.log"
    run([*khabar, "manage", "shell", "--no-imports", "-c", PUBLISH.format(run=run_number)], env, log_path, budget, 120)

    procs, logs = [], []
    for n in range(workers):
        worker_log = tmp / f"worker-{run_number}-{n}.log"
        logs.append(worker_log)
        with open(worker_log, "wb") as log:
            procs.append(children.start([*khabar, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT))
    # Ready once each has started and drained the publishing tasks (search index, references).
    wait_for(lambda: all("Starting worker" in p.read_text(errors="replace") for p in logs), budget, 60, "workers")
    time.sleep(3)
    sink.take()
    cpu_before = [cpu_seconds(p.pid) for p in procs]
    self_before = resource.getrusage(resource.RUSAGE_SELF)

    command_started = time.monotonic()
    build_s = run([*khabar, "newsletter", "send-digest", "daily"], env, log_path, budget, 300)
    wait_for(lambda: sink.count() >= args.subscribers, budget, 1200, f"{args.subscribers} messages at the sink")
    time.sleep(1)  # anything extra (a duplicate) would arrive now

    worker_cpu = sum(cpu_seconds(p.pid) - before for p, before in zip(procs, cpu_before))
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    sink_cpu = (self_after.ru_utime + self_after.ru_stime) - (self_before.ru_utime + self_before.ru_stime)
    for proc in procs:
        children.stop(proc)
    arrivals = sink.take()
    copies = Counter(rcpt for _, rcpt in arrivals)
    first, last = min(t for t, _ in arrivals), max(t for t, _ in arrivals)
    span = last - first
    return {
        "workers": workers,
        "subscribers": args.subscribers,
        "build_s": round(build_s, 2),
        "total_s": round(last - command_started, 2),
        "sink_first_to_last_s": round(span, 2),
        "messages_per_s": round(args.subscribers / span, 1) if span else None,
        "worker_cpu_s": round(worker_cpu, 1),
        "worker_cpu_ms_per_message": round(1000 * worker_cpu / args.subscribers, 2),
        "sink_cpu_s": round(sink_cpu, 1),
        "messages_received": len(arrivals),
        "recipients": len(copies),
        "duplicates": sum(n - 1 for n in copies.values() if n > 1),
    }


def main(argv=None):
    args = parse_args(argv)
    worker_counts = [int(n) for n in args.workers.split(",") if n.strip()]
    support.terminate_as_interrupt()
    budget = support.Budget(args.budget)
    children = support.Children()
    tmp = Path(tempfile.mkdtemp(prefix="khabar-bench-mail-"))
    (tmp / "data").mkdir()
    result = {
        "benchmark": NAME,
        "machine": support.machine_facts(),
        "settings": {
            "subscribers": args.subscribers, "worker_counts": worker_counts, "batch_size": args.batch_size,
            "database": "sqlite (default)", "tasks": "django-tasks database backend, db_worker --interval 1",
            "smtp": "aiosmtpd sink on 127.0.0.1 in the benchmark process, no TLS",
        },
    }
    print(f"khabar mail benchmark: temp dir {tmp}", flush=True)
    sink, controller = start_sink()
    try:
        khabar = support.khabar_command()
        env = khabar_env(tmp / "data", controller.port, 1, args.batch_size)
        log_path = tmp / "khabar.log"
        started = time.monotonic()
        run([*khabar, "manage", "migrate", "--verbosity", "0"], env, log_path, budget, 600)
        run([*khabar, "manage", "shell", "--no-imports", "-c", SEED.format(count=args.subscribers)],
            env, log_path, budget, 600)
        result["setup_s"] = round(time.monotonic() - started, 1)
        result["runs"] = []
        for number, workers in enumerate(worker_counts, 1):
            print(f"run {number}: {workers} worker(s), {args.subscribers:,} subscribers …", flush=True)
            result["runs"].append(one_run(number, workers, args, tmp, sink, controller.port, budget, children))
        print_report(result)
        result["seconds"] = round(budget.elapsed(), 1)
        support.write_results(NAME, result)
        failed = [r for r in result["runs"] if r["duplicates"] or r["recipients"] != args.subscribers]
        return 1 if failed else 0
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the workers", file=sys.stderr)
        return 130
    except (support.OutOfTime, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        children.stop_all()
        controller.stop()
        if args.keep:
            print(f"kept {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


def print_report(result):
    headers = ["workers", "subscribers", "build s", "total s", "first→last copy s", "msg/s", "worker CPU ms/msg",
               "sink CPU s", "recipients", "duplicates"]
    rows = [
        [r["workers"], f"{r['subscribers']:,}", r["build_s"], r["total_s"], r["sink_first_to_last_s"],
         r["messages_per_s"], r["worker_cpu_ms_per_message"], r["sink_cpu_s"], f"{r['recipients']:,}",
         r["duplicates"]]
        for r in result["runs"]
    ]
    print()
    print(support.render_table(headers, rows))
    print("build s: `khabar newsletter send-digest daily` (process start-up, issue and delivery rows, queueing);")
    print("total s: from starting that command until the sink accepted the last copy;")
    print("first→last copy s and msg/s: the sending itself, as the SMTP sink saw it.")
    print()


if __name__ == "__main__":
    sys.exit(main())
