"""Load: minutes of a realistic reader mix at 200 connections on the embedded default; no 5xx, no lost write.

One throwaway site (a temporary KHABAR_DATA_DIR: SQLite, the demo content plus N corpus
articles) is served exactly as ``make serve`` serves it: ``khabar serve`` (granian, one
worker per core, the page cache on) and its database task worker. Two settings differ,
both through the environment: KHABAR_COMMENTS_MIN_SECONDS=0 (a simulated reader posts
as soon as it has a token) and KHABAR_CLIENT_IP_HEADER=X-Forwarded-For, so that each
simulated reader has an address of its own and the rate limits stay as shipped.

A Python asyncio client (bench/_load_http.py, standard library only) keeps
``--connections`` keep-alive connections busy, each a stream of reader actions
(bench/_load_mix.py): ~90 % page reads (the newest article hottest, home, sections and
their later pages, tags, authors, the feed, sitemaps; some links carrying fbclid/utm
junk), ~6 % searches (headline words, some misspelt the way readers type), ~3 % comments
(token, POST, the redirect back to the article), ~1 % newsletter sign-ups (POST, the
thanks page). Closed loop, no think time: the figures are the server's at saturation.
Before the load starts the benchmark waits until no ``wrk`` has run for 30 s and the
rest of the machine is idle (at most ``--max-wait`` s; then the run is marked not quiet).

Afterwards every comment and sign-up that was accepted (303 / 302) is looked up in the
SQLite file, opened read-only. The server's log is scanned for tracebacks and
"database is locked". Reported: requests and status codes by kind, req/s, p50/p95/p99,
5xx (must be 0), timeouts, accepted writes found in the database (must be all), the
RSS of each web worker, and the CPU the client itself used. A table, and JSON in
bench/results/load-<time>.json. Exit status 1 when a check failed.

    .venv/bin/python bench/load.py                          # 300 s, 200 connections, 2,000 articles
    .venv/bin/python bench/load.py --duration 20 --articles 200 --data-dir /tmp/khabar-load-site
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support
from _load_checks import scan_log, verify
from _load_http import Connection, ConnectionLost
from _load_mix import ACTIONS, READ_KINDS, Mix, Readers, Site, comment_body
from _load_server import (
    Server,
    free_port,
    memory,
    prepare_site,
    seed_regulars,
    server_env,
    wait_until_quiet,
    wrk_running,
)
from _load_stats import Recorder, render_report

ORDER = [*READ_KINDS, "search", "comment_token", "comment_post", "subscribe", "after_post"]
LANGUAGES = ["ar", "ar-EG,ar;q=0.9,en-US;q=0.8,en;q=0.7", "ar-SA,ar;q=0.9", "en-US,en;q=0.9,ar;q=0.8",
             "fr-FR,fr;q=0.9,ar;q=0.8"]
USER_AGENT = "Mozilla/5.0 (Linux; Android 14) khabar-bench-load"
FORM = "application/x-www-form-urlencoded"
WARMUP_S = 60  # the steady-state figures leave out the cold start (an empty page cache)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=300, help="seconds of load (default 300)")
    p.add_argument("--connections", type=int, default=200, help="concurrent keep-alive connections (default 200)")
    p.add_argument("--articles", type=int, default=2000, help="corpus articles imported beside the demo (default 2000)")
    p.add_argument("--timeout", type=float, default=10.0, help="a request slower than this counts as timed out")
    p.add_argument("--readers", type=int, default=20000, help="simulated readers (address + e-mail) behind the writes")
    p.add_argument("--regulars", type=float, default=0.02,
                   help="share of readers with an approved comment already: theirs appear at once and purge")
    p.add_argument("--data-dir", type=Path, help="a site to reuse (prepared when missing, always kept)")
    p.add_argument("--keep", action="store_true", help="keep the temporary site and the server log")
    p.add_argument("--no-wait", action="store_true", help="start without waiting for other benchmarks (wrk) to end")
    p.add_argument("--quiet-seconds", type=float, default=30, help="no wrk seen for this long before the run")
    p.add_argument("--max-wait", type=float, default=1800,
                   help="wait at most this long for a quiet machine, then run anyway, marked not quiet")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--budget", type=float, default=0, help="stop everything after this many seconds (default: generous)")
    args = p.parse_args(argv)
    args.budget = args.budget or args.duration + args.max_wait + 3600
    return args


# --- the load -----------------------------------------------------------------------------
class Load:
    def __init__(self, args, port, site, readers, run_id):
        self.args, self.port, self.run_id = args, port, run_id
        self.site, self.readers = site, readers
        self.mix = Mix(site, args.seed)
        self.origin = f"http://127.0.0.1:{port}"
        self.host = f"127.0.0.1:{port}"
        self.serial = 0
        self.comments = {"posted": 0, "accepted": {}, "refused_429": 0, "unanswered": [], "other": {},
                         "no_token": 0, "other_examples": []}
        self.subscriptions = {"posted": 0, "accepted": set(), "accepted_answers": 0, "refused_429": 0,
                              "unanswered": [], "other": {}}
        self.wrk_seen = []

    async def run(self, recorder, server):
        self.stop_at = time.perf_counter() + self.args.duration
        samplers = [asyncio.create_task(self._watch(recorder, server))]
        readers = [asyncio.create_task(self._reader(n, recorder)) for n in range(self.args.connections)]
        await asyncio.gather(*readers)
        for task in samplers:
            task.cancel()

    async def _watch(self, recorder, server):
        """Every 5 s: the web workers' memory, and whether someone else's wrk started."""
        started = time.perf_counter()
        while True:
            await asyncio.sleep(5)
            recorder.memory.append({"t": round(time.perf_counter() - started),
                                    **{str(pid): round((support.memory_kib(pid)[0] or 0) / 1024, 1)
                                       for pid in server.web_workers()}})
            if wrk_running():
                self.wrk_seen.append(round(time.perf_counter() - started))

    async def _reader(self, n, recorder):
        conn = Connection("127.0.0.1", self.port, self.host)
        mix = self.mix
        language = LANGUAGES[n % len(LANGUAGES)] if n % 4 == 0 else LANGUAGES[0]
        headers = [("User-Agent", USER_AGENT), ("Accept", "text/html,*/*;q=0.8"), ("Accept-Language", language)]
        try:
            while time.perf_counter() < self.stop_at:
                action = mix.action()
                try:
                    if action == "search":
                        await self._get(conn, recorder, "search", mix.search_path(), headers)
                    elif action == "comment":
                        await self._comment(conn, recorder, headers)
                    elif action == "subscribe":
                        await self._subscribe(conn, recorder, headers)
                    else:
                        await self._get(conn, recorder, action, mix.read_path(action), headers)
                except (ValueError, KeyError, IndexError, TypeError) as error:  # an answer the client cannot use
                    now = time.perf_counter()
                    recorder.failure(action, "-", "-", now, now, error)
                    conn.close()
        finally:
            conn.close()

    async def _get(self, conn, recorder, kind, path, headers):
        return await self._send(conn, recorder, kind, "GET", path, headers)

    async def _send(self, conn, recorder, kind, method, path, headers, body=b""):
        started = time.perf_counter()
        try:
            response = await conn.request(method, path, headers, body, timeout=self.args.timeout)
        except (TimeoutError, ConnectionLost, OSError) as error:
            recorder.failure(kind, method, path, started, time.perf_counter(), error)
            return None
        recorder.record(kind, method, path, started, time.perf_counter(), response)
        return response

    async def _follow(self, conn, recorder, response, headers):
        location = urlsplit(response.header("location", ""))
        target = location.path + (f"?{location.query}" if location.query else "")
        if target:
            await self._get(conn, recorder, "after_post", target, headers)

    def _writer(self, headers, n, referer):
        return [*headers, ("Origin", self.origin), ("Referer", self.origin + referer),
                ("X-Forwarded-For", self.readers.ip(n)), ("Content-Type", FORM)]

    async def _comment(self, conn, recorder, headers):
        mix, readers, record = self.mix, self.readers, self.comments
        article_id, path = mix.article()
        n = readers.pick(mix.rng)
        identity = [*headers, ("X-Forwarded-For", readers.ip(n))]
        answer = await self._get(conn, recorder, "comment_token", f"/comments/token/{article_id}/", identity)
        if answer is None or answer.status != 200:
            record["no_token"] += 1
            return
        self.serial += 1
        serial = self.serial
        form = {"name": readers.name(n), "email": readers.email(n), "url": "",
                "body": comment_body(self.run_id, serial, mix.rng), "article": article_id, "parent": "",
                "token": json.loads(answer.body)["token"], "homepage": ""}
        record["posted"] += 1
        response = await self._send(conn, recorder, "comment_post", "POST", "/comments/post/",
                                    self._writer(headers, n, path), urlencode(form).encode())
        if response is None:
            record["unanswered"].append(serial)
        elif response.status == 303:
            location = response.header("location", "")
            record["accepted"][serial] = {"article": article_id, "reader": n,
                                          "approved": "comment=approved" in location}
            await self._follow(conn, recorder, response, headers)
        elif response.status == 429:
            record["refused_429"] += 1
        else:
            record["other"][response.status] = record["other"].get(response.status, 0) + 1
            if len(record["other_examples"]) < 5:
                found = re.search(rb'class="errorlist[^"]*"[^>]*>(.{0,300})', response.body, re.DOTALL)
                record["other_examples"].append({"status": response.status, "reader": n,
                                                 "error": found.group(1).decode(errors="replace") if found else ""})

    async def _subscribe(self, conn, recorder, headers):
        mix, readers, record = self.mix, self.readers, self.subscriptions
        n = readers.pick(mix.rng)
        email = readers.email(n)
        lists = ["daily"] + [name for name in ("weekly", "breaking") if mix.rng.random() < 0.3]
        form = [("email", email), ("name", readers.name(n) if mix.rng.random() < 0.5 else ""),
                *(("lists", name) for name in lists), ("website", "")]
        record["posted"] += 1
        response = await self._send(conn, recorder, "subscribe", "POST", "/newsletter/",
                                    self._writer(headers, n, "/"), urlencode(form).encode())
        if response is None:
            record["unanswered"].append(email)
        elif response.status in (302, 303):
            record["accepted"].add(email)
            record["accepted_answers"] += 1
            await self._follow(conn, recorder, response, headers)
        elif response.status == 429:
            record["refused_429"] += 1
        else:
            record["other"][response.status] = record["other"].get(response.status, 0) + 1


# --- the whole benchmark ----------------------------------------------------------------------
def main(argv=None):
    args = parse_args(argv)
    support.terminate_as_interrupt()
    budget = support.Budget(args.budget)
    children = support.Children()
    tmp = Path(tempfile.mkdtemp(prefix="khabar-load-"))
    data_dir = args.data_dir.resolve() if args.data_dir else tmp / "data"
    log_path = tmp / "server.log"
    run_id = f"{int(time.time()) % 10**7:07d}"
    result = {"benchmark": "load", "run_id": run_id, "machine": support.machine_facts(),
              "settings": {k: getattr(args, k) for k in ("duration", "connections", "articles", "timeout", "readers",
                                                          "regulars", "seed")},
              "mix_pct": ACTIONS}
    ok = False
    try:
        result["setup"] = prepare_site(args, data_dir, log_path, budget)
        db_path = data_dir / "khabar.sqlite3"
        site = Site(db_path)
        result["site"] = site.facts()
        readers = Readers(args.readers, run_id, int(args.readers * args.regulars))
        result["setup"]["regular_readers"] = seed_regulars(readers, data_dir, log_path, budget)

        port = free_port()
        server = Server(children, server_env(data_dir, port), port, log_path).start(budget)
        result["server"] = {"command": f"khabar serve --port {port}", "ready_s": server.ready_s,
                            "web_workers": len(server.web_workers()),
                            "env": {k: v for k, v in server.env.items() if k.startswith("KHABAR_")}}
        if args.no_wait:
            result["quiet_before"] = support.wait_for_quiet(lambda: list(server.roles()), timeout=0)
        else:
            result["quiet_before"] = wait_until_quiet(lambda: list(server.roles()), args.quiet_seconds,
                                                      args.max_wait, budget)

        print(f"load: {args.duration:.0f} s at {args.connections} connections on port {port} "
              f"({site.facts()['articles']:,} articles) …", flush=True)
        load = Load(args, port, site, readers, run_id)
        recorder = Recorder(ORDER)
        pids = list(server.roles())
        cpu_before = {pid: support.process_cpu_seconds([pid]) for pid in pids}
        busy_before, client_before = support.system_busy_seconds(), os.times()
        started = time.perf_counter()
        recorder.start(started)
        asyncio.run(load.run(recorder, server))
        wall = time.perf_counter() - started
        client_after, busy_after = os.times(), support.system_busy_seconds()
        roles = server.roles()
        cpu = {}
        for pid in pids:
            role = roles.get(pid, "gone")
            cpu[role] = cpu.get(role, 0.0) + support.process_cpu_seconds([pid]) - cpu_before[pid]
        result["cpu_pct_of_one_core"] = {
            "client (this load generator)": round(((client_after.user - client_before.user)
                                                   + (client_after.system - client_before.system)) / wall * 100, 1),
            **{role: round(seconds / wall * 100, 1) for role, seconds in cpu.items()},
            f"whole machine (of {100 * (os.cpu_count() or 1)}%)": round((busy_after - busy_before) / wall * 100, 1),
        }
        result["memory"] = memory(server)
        result["memory_timeline_mib"] = recorder.memory
        result["wrk_seen_during_run_at_s"] = load.wrk_seen
        result["requests"] = recorder.summary(wall)
        result["requests"]["steady"] = recorder.steady(wall, WARMUP_S)
        result["timeline"] = recorder.timeline(wall)
        server.stop()
        result["database"] = verify(db_path, load)
        result["server_log"] = scan_log(log_path, server.log_offset)
        ok = render_report(result)
    except (support.OutOfTime, SystemExit, KeyboardInterrupt) as error:
        result["error"] = f"{type(error).__name__}: {error}"
        print(f"stopped: {result['error']}", file=sys.stderr)
    finally:
        children.stop_all()
        if args.keep or "error" in result:
            print(f"kept: {tmp} (server log: {log_path})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    result["passed"] = ok
    support.write_results(f"load-{time.strftime('%Y%m%d-%H%M%S')}", result, echo=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
