"""The «الأكثر قراءة» beacon under load: POST /mostread/hit/ through granian, as ``make serve`` runs khabar.

On a throwaway demo site (``khabar serve --demo`` in a temporary KHABAR_DATA_DIR, the
embedded mode: SQLite and the diskcache shared cache), wrk sends the beacon of one
article at ``--connections`` connections:

* "new readers": every request from another address (X-Forwarded-For, read through
  KHABAR_CLIENT_IP_HEADER) and browser, so each one is counted: the seen-key, the
  per-address cap and the minute counter are all written;
* "same reader": one address and browser again and again, answered after the
  seen-key says it was counted already (what a reload storm costs).

Then it runs the aggregation and checks that the views stored equal the requests of
the "new readers" runs (nothing lost under load). Prints a table; writes
bench/results/mostread-<timestamp>.json.

    .venv/bin/python bench/mostread.py                   # 10 s runs at 32 connections
    .venv/bin/python bench/mostread.py --duration 5
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _servers as servers  # noqa: E402
import _support as support  # noqa: E402
import _wrk as wrk  # noqa: E402

NAME = "mostread"
BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
# Each wrk thread numbers its requests; the number becomes the reader's address and browser build.
NEW_READERS_LUA = """
local thread_number = 0
function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_id", thread_number)
end
local sent = 0
function request()
  sent = sent + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", thread_id, math.floor(sent / 250) % 256, sent % 250 + 1)
  headers["User-Agent"] = wrk.headers["User-Agent"] .. " build/" .. sent
  return wrk.format(nil, nil, headers)
end
"""
SAME_READER_LUA = "function request() return wrk.format() end\n"
COMMON_LUA = """
wrk.method = "POST"
wrk.body = "page={page}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8"
wrk.headers["Origin"] = "{origin}"
wrk.headers["User-Agent"] = "{browser}"
wrk.headers["X-Forwarded-For"] = "192.0.2.10"
"""
SHELL = """
import time
from django.db.models import Sum
from khabar.mostread import aggregation
from khabar.mostread.models import HourlyViews
from khabar.news.models import ArticlePage
{code}
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument("--budget", type=float, default=900, help="stop after this many seconds (default 900)")
    return p.parse_args(argv)


def khabar_env(data_dir, port):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        KHABAR_DATA_DIR=str(data_dir), PORT=str(port), KHABAR_SITE_URL=f"http://127.0.0.1:{port}",
        KHABAR_ALLOWED_HOSTS="127.0.0.1,localhost", KHABAR_ADMIN_PASSWORD="bench-only-password",
        KHABAR_CLIENT_IP_HEADER="X-Forwarded-For",  # so the "new readers" run can be many addresses
    )
    return env


def django_shell(env, code):
    """Run ``code`` in khabar's Django (``khabar manage shell``); its last printed line."""
    cmd = [*support.khabar_command(), "manage", "shell", "-c", SHELL.format(code=code)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=True)
    return proc.stdout.strip().splitlines()[-1]


def main(argv=None):
    args = parse_args(argv)
    budget, children = support.Budget(args.budget), support.Children()
    tmp = Path(tempfile.mkdtemp(prefix="khabar-bench-mostread-"))
    port = servers.free_port()
    env = khabar_env(tmp / "data", port)
    result = {"benchmark": NAME, "machine": support.machine_facts(), "settings": vars(args), "rows": []}
    server = servers.KhabarServer(children, "khabar", env, port, tmp / "bench.log")
    try:
        cmd = [*support.khabar_command(), "serve", "--port", str(port), "--demo"]
        with open(tmp / "bench.log", "ab") as log:
            server.proc = children.start(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        servers.wait_until_up(server.base + "/", server.proc, tmp / "bench.log", budget, wanted=600)
        page_id = int(django_shell(env, "print(ArticlePage.objects.live().order_by('-first_published_at')[0].pk)"))
        url = f"{server.base}/mostread/hit/"
        common = COMMON_LUA.format(page=page_id, origin=server.base, browser=BROWSER)
        for label, lua in (("new readers", NEW_READERS_LUA), ("same reader", SAME_READER_LUA)):
            script = tmp / f"{label.replace(' ', '-')}.lua"
            script.write_text(common + lua)
            # A shared machine: wait a little for quiet, and say in the record whether it came.
            quiet = support.wait_for_quiet(lambda: support.descendants(os.getpid()), timeout=min(20, budget.left() / 4))
            run = wrk.run(url, threads=args.threads, connections=args.connections, duration=args.duration,
                          budget=budget, server_pids=server.server_pids, script=script)
            result["rows"].append({"run": label, "quiet": quiet, **run})
            print(f"  {label:<12} {run['requests_per_s']:>9,.0f} req/s  p50 {run.get('p50_ms', 0):.2f} ms  "
                  f"p99 {run.get('p99_ms', 0):.2f} ms  server CPU {run.get('server_cpu_ms_per_request', 0):.2f} ms/req  "
                  f"errors {run['errors']}", flush=True)
        new_readers = next(row for row in result["rows"] if row["run"] == "new readers")
        counted = int(django_shell(env, (
            f"aggregation.run(now=time.time() + 180)\n"
            f"print(HourlyViews.objects.filter(page_id={page_id}).aggregate(n=Sum('views'))['n'] or 0)"
        )))
        # "same reader" adds one view (its first request); wrk stops counting with up to one request per
        # connection still in flight, which the server answers and counts after the run.
        expected = (new_readers["requests"] + 1, new_readers["requests"] + 1 + args.connections)
        result["views"] = {"requests_new_readers": new_readers["requests"], "counted": counted,
                           "expected_between": expected, "none_lost": expected[0] <= counted <= expected[1]}
        print(f"  views stored {counted:,} for {new_readers['requests']:,} new readers + 1 (+ up to "
              f"{args.connections} in flight): {'none lost' if result['views']['none_lost'] else 'MISMATCH'}",
              flush=True)
    finally:
        server.stop()
        children.stop_all()
    support.RESULTS_DIR.mkdir(exist_ok=True)
    out = support.RESULTS_DIR / f"{NAME}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
