"""Real pages under load: khabar uncached, with its page cache, behind an nginx front; nginx static; WordPress.

In one run, on one throwaway site (N corpus articles in a temporary KHABAR_DATA_DIR, the
newest given a hero image, tags, an author and approved comments, as a real page has):

* for the article, the home page and its section page, each served by
  - nginx, from a file holding the same HTML (the floor any server is compared to);
  - khabar with ``KHABAR_PAGE_CACHE=off`` (every request renders: "uncached");
  - khabar as ``make serve`` runs it (granian, page cache on, task worker beside it);
  - khabar behind nginx ``proxy_cache`` (deploy/nginx/khabar.conf when it exists);
  - with ``--with-wordpress``: WordPress uncached and behind nginx fastcgi_cache
    (../shared/bench/wordpress, the same corpus; its article is the reference article);
  it reports req/s at 32 connections, p50/p99 at one connection, the ratio to nginx
  static, the server's CPU ms per request, and khabar uncached ÷ WordPress uncached;
* the front against nginx static serving the same response (body, path and the page files'
  headers): short runs of each in turn, and the median of the pairs' ratios (``--pairs``,
  ``--pair-duration``);
* the memory (RSS) of each khabar web worker;
* the server ceiling: granian against gunicorn (gthread) serving khabar's cached article;
* single flight: khabar's cache purged, then 200 requests at once for the article; how
  many rendered it (``X-Khabar-Cache: MISS``), without and with the front;
* how long after a publish (a new headline) and after a comment approval a reader sees the
  change, without and with the front.

Before every measurement it waits (up to ``--quiet-timeout`` s) for the machine to be quiet:
these machines are shared, so only ratios within one run mean much, and a run that started
on a busy machine is flagged in the table. Prints tables; writes the whole record to
bench/results/pages-<timestamp>.json (bench/results/ is git-ignored).

    .venv/bin/python bench/pages.py                                # 2,000 articles, 10 s wrk runs
    .venv/bin/python bench/pages.py --articles 500 --duration 5    # shorter
    .venv/bin/python bench/pages.py --with-wordpress               # as root: installs WordPress (minutes)

Needs nginx and wrk (``make bench`` installs them), the nginx cache-purge module for
the front's purge (Debian's libnginx-mod-http-cache-purge), and the shared corpus; it
skips with a message when the corpus or the tools are missing.
"""

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _pages_report as report  # noqa: E402
import _servers as servers  # noqa: E402
import _support as support  # noqa: E402
import _wordpress as wordpress  # noqa: E402
import _wrk as wrk  # noqa: E402

NAME = "pages"
PAGES = ("article", "home", "section")
ACTIONS = Path(__file__).resolve().parent / "_khabar_actions.py"
# Headline suffixes for the publish measurements: letters only, so no setting reshapes them.
REVISIONS = ["تحديث أول", "تحديث ثان", "تحديث ثالث", "تحديث رابع"]
COMMENT_TEXTS = ["تعليق القياس الأول", "تعليق القياس الثاني", "تعليق القياس الثالث"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=2000, help="corpus articles to import (default 2000)")
    p.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    p.add_argument("--c1-duration", type=float, default=0,
                   help="seconds of the 1-connection runs (default: --duration)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections of the throughput runs (default 32)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument("--pairs", type=int, default=8,
                   help="short runs of the front and of nginx static in turn, per page (default 8 pairs)")
    p.add_argument("--pair-duration", type=float, default=3, help="seconds of each of those runs (default 3)")
    p.add_argument("--warmup", type=float, default=2, help="unrecorded wrk seconds before each throughput run")
    p.add_argument("--wrk-timeout", type=float, default=10, help="wrk socket timeout, s (default 10)")
    p.add_argument("--with-wordpress", action="store_true",
                   help="also bring up WordPress through ../shared/bench/wordpress (root; installs packages)")
    p.add_argument("--gunicorn-workers", default="",
                   help="comma-separated gunicorn worker counts for the server ceiling (default: cores and 2×cores)")
    p.add_argument("--no-ceiling", action="store_true", help="skip the granian/gunicorn comparison")
    p.add_argument("--burst", type=int, default=200, help="concurrent requests of the single-flight test (default 200)")
    p.add_argument("--visibility-timeout", type=float, default=30,
                   help="give up on seeing a publish or a comment after this many seconds (default 30)")
    p.add_argument("--quiet-timeout", type=float, default=60,
                   help="longest wait for a quiet machine before each measurement, s (default 60)")
    p.add_argument("--quiet-max-other", type=float, default=20,
                   help="quiet = other processes use under this %% of one core (default 20)")
    p.add_argument("--budget", type=float, default=0, help="stop after this many seconds (default 3600; 7200 with WP)")
    p.add_argument("--keep", action="store_true", help="keep the temporary data dir (its path is printed)")
    args = p.parse_args(argv)
    args.c1_duration = args.c1_duration or args.duration
    args.budget = args.budget or (7200 if args.with_wordpress else 3600)
    return args


def khabar_env(data_dir, port, site_port=None, **extra):
    """The environment of one khabar instance: ``make serve`` defaults, this data dir, this port."""
    env = dict(os.environ)
    for name in ("KHABAR_DATABASE_URL", "KHABAR_REDIS_URL", "KHABAR_WEB_WORKERS", "KHABAR_WEB_THREADS",
                 "KHABAR_PAGE_CACHE", "KHABAR_PAGE_FILES_DIR", "KHABAR_FRONTEND_CACHE_URL", "KHABAR_TASKS_BACKEND", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)  # measure the embedded default, whatever the caller's shell holds
    env.update(
        KHABAR_DATA_DIR=str(data_dir), PORT=str(port), KHABAR_SITE_URL=f"http://127.0.0.1:{site_port or port}",
        KHABAR_ALLOWED_HOSTS="127.0.0.1,localhost", KHABAR_DEBUG="0", KHABAR_ADMIN_PASSWORD="bench-only-password",
    )
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


class Bench:
    def __init__(self, args):
        self.args = args
        self.budget = support.Budget(args.budget)
        self.children = support.Children()
        self.tmp = Path(tempfile.mkdtemp(prefix="khabar-bench-pages-"))
        os.chmod(self.tmp, 0o755)  # nginx workers (not root) read the static copies and write their cache here
        self.data_dir = self.tmp / "data"
        self.www = self.tmp / "www"  # the static copies nginx serves (mirror())
        self.log = self.tmp / "bench.log"
        self.extra_own_pids = lambda: []
        self.result = {
            "benchmark": NAME,
            "machine": support.machine_facts(),
            "settings": {k: v for k, v in vars(args).items()},
            "rows": [], "memory": {}, "single_flight": [], "visibility": [], "notes": [],
        }

    # --- plumbing ------------------------------------------------------------------
    def note(self, text):
        print(f"NOTE: {text}", flush=True)
        self.result["notes"].append(text)

    def run_logged(self, cmd, env, wanted):
        with open(self.log, "ab") as log:
            log.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
            log.flush()
            started = time.monotonic()
            proc = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  timeout=self.budget.timeout(wanted))
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{servers.tail(self.log)}")
        return round(time.monotonic() - started, 1)

    def action(self, env, *words):
        """Run one bench/_khabar_actions.py command in khabar's Django; its JSON answer."""
        cmd = [sys.executable, str(ACTIONS), *map(str, words)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=self.budget.timeout(300))
        with open(self.log, "a") as log:
            log.write(f"\n$ {' '.join(cmd)}\n{proc.stderr}{proc.stdout}")
        if proc.returncode != 0:
            raise RuntimeError(f"{words[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def own_pids(self):
        return support.descendants(os.getpid()) + list(self.extra_own_pids())

    def quiet(self):
        return support.wait_for_quiet(self.own_pids, max_other=self.args.quiet_max_other,
                                      timeout=min(self.args.quiet_timeout, max(self.budget.left() - 120, 0)))

    # --- one row -----------------------------------------------------------------------
    def measure(self, server, page, url, server_pids, sample=True):
        """Throughput at ``--connections``, latency at one connection, and what caches said around them."""
        a = self.args
        row = {"server": server, "page": page, "url": url}
        before = servers.get(url)
        if before.status != 200:
            raise RuntimeError(f"{server} {page}: {url} answered {before.status}")
        row["html_bytes"] = len(before.body)
        row["quiet_c32"] = self.quiet()
        if a.warmup:
            wrk.run(url, threads=a.threads, connections=a.connections, duration=a.warmup, budget=self.budget,
                    timeout_s=a.wrk_timeout)
        row["c32"] = wrk.run(url, threads=a.threads, connections=a.connections, duration=a.duration,
                             budget=self.budget, server_pids=server_pids, timeout_s=a.wrk_timeout)
        row["quiet_c1"] = self.quiet()
        row["c1"] = wrk.run(url, threads=1, connections=1, duration=a.c1_duration, budget=self.budget,
                            server_pids=server_pids, timeout_s=a.wrk_timeout)
        if sample:
            row["cache_sample"] = self.cache_sample(url)
        self.result["rows"].append(row)
        c32, c1 = row["c32"], row["c1"]
        flag = "" if row["quiet_c32"]["quiet"] else f"  (busy machine: other {row['quiet_c32']['other_cpu_pct']:.0f} %)"
        print(f"  {server:<24} {page:<8} {c32['requests_per_s']:>10,.1f} req/s  p50 {c1['p50_ms']:.2f} ms  "
              f"p99 {c1['p99_ms']:.2f} ms  errors {c32['errors'] + c1['errors']}"
              f"{'  ' + report.summarise(row['cache_sample']) if row.get('cache_sample') else ''}{flag}", flush=True)
        return row

    @staticmethod
    def cache_sample(url, n=5):
        """What the caches answered to a few requests right after the runs: {"khabar": {...}, "front": {...}}."""
        khabar, front = {}, {}
        for _ in range(n):
            r = servers.get(url)
            value = r.header("x-khabar-cache") or "-"
            khabar[value] = khabar.get(value, 0) + 1
            if r.front_status():
                front[r.front_status()] = front.get(r.front_status(), 0) + 1
        return {"khabar": khabar, **({"front": front} if front else {})}

    @staticmethod
    def prime(url, want_front=False, tries=6):
        """Request a page until the caches hold it; the headers of the last answer."""
        seen = []
        for _ in range(tries):
            r = servers.get(url)
            seen.append((r.header("x-khabar-cache"), r.front_status()))
            if r.header("x-khabar-cache") == "FILE":
                break  # nginx served khabar's page file (the front's fastest answer)
            if r.header("x-khabar-cache") == "HIT" and (not want_front or r.front_status() == "HIT"):
                break
            time.sleep(0.3)
        return seen

    # --- single flight and visibility ---------------------------------------------------
    def single_flight(self, label, base, path, env, front=None):
        """Purge, then ``--burst`` requests at once for one page; count the renders."""
        self.prime(base + path, want_front=front is not None)
        purged = self.action(env, "purge-all")
        front_purge = None
        if front is not None:
            front_purge = front(path)
        answers = burst(base + path, self.args.burst)
        khabar, fronts, statuses = {}, {}, {}
        renders = 0
        for answer in answers:
            statuses[answer.get("status")] = statuses.get(answer.get("status"), 0) + 1
            k, f = answer.get("khabar") or "-", answer.get("front")
            khabar[k] = khabar.get(k, 0) + 1
            if f:
                fronts[f] = fronts.get(f, 0) + 1
            # A MISS stored by the front and replayed to others is one render, not many.
            if k == "MISS" and f not in ("HIT", "STALE", "UPDATING", "REVALIDATED"):
                renders += 1
        times = sorted(a["ms"] for a in answers if "ms" in a)
        entry = {
            "mode": label, "path": path, "requests": len(answers), "renders": renders,
            "x_khabar_cache": khabar, "front_cache": fronts, "statuses": {str(k): v for k, v in statuses.items()},
            "p50_ms": round(times[len(times) // 2], 1) if times else None,
            "max_ms": round(times[-1], 1) if times else None, "front_purge_status": front_purge,
            "purged_at": purged["purged_at"],
        }
        self.result["single_flight"].append(entry)
        print(f"  single flight ({label}): {renders} render(s) for {len(answers)} requests; "
              f"X-Khabar-Cache {khabar}{'; front ' + str(fronts) if fronts else ''}; max {entry['max_ms']} ms",
              flush=True)
        return entry

    def visibility(self, label, kind, base, path, env, marker, change, want_front=False):
        """Seconds from a committed change to the first reader response that shows it."""
        self.prime(base + path, want_front=want_front)
        cmd = [sys.executable, str(ACTIONS), *map(str, change)]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started = time.time()
        polls, seen_at, seen_headers, first_after, done_at = 0, None, None, None, None
        # Poll as a reader would, from before the change until it shows (or the timeout passes).
        while True:
            if done_at is None and proc.poll() is not None:
                out, err = proc.communicate()
                if proc.returncode != 0:
                    raise RuntimeError(f"{change[0]} failed ({proc.returncode}):\n{err[-3000:]}")
                answer = json.loads(out.strip().splitlines()[-1])
                done_at = answer.get("published_at") or answer.get("approved_at")
            if done_at is not None and (seen_at is not None or time.time() > done_at + self.args.visibility_timeout):
                break
            if done_at is None and time.time() - started > 300:
                proc.kill()
                raise RuntimeError(f"{change[0]} did not finish within 300 s")
            r = servers.get(base + path)
            polls += 1
            received = time.time()
            if done_at is not None and first_after is None:
                first_after = {"khabar": r.header("x-khabar-cache"), "front": r.front_status()}
            if seen_at is None and marker in r.body.decode(errors="replace"):
                seen_at = received
                seen_headers = {"khabar": r.header("x-khabar-cache"), "front": r.front_status()}
            time.sleep(0.05)
        # A poll may catch the change between its commit and the moment the change process took the time.
        first_after = first_after or seen_headers
        delay = None if seen_at is None else round(max(seen_at - done_at, 0.0), 3)
        entry = {"mode": label, "change": kind, "path": path, "visible_after_s": delay, "polls": polls,
                 "first_response_after_change": first_after, "visible_response": seen_headers,
                 "gave_up_after_s": None if delay is not None else self.args.visibility_timeout}
        self.result["visibility"].append(entry)
        shown = f"{delay:.2f} s" if delay is not None else f"NOT within {self.args.visibility_timeout:g} s"
        print(f"  {kind} visible ({label}): {shown} after commit ({polls} polls; seen as {seen_headers})",
              flush=True)
        return entry

    def dynamics(self, label, base, env, article, front=None, round_no=0):
        """Single flight, publish and comment approval for one way of serving."""
        path = article["url"]
        self.single_flight(label, base, path, env, front=front)
        suffix = REVISIONS[round_no % len(REVISIONS)]
        # Look for the suffix alone: the page shows the headline HTML-escaped (quotes become &quot;).
        self.visibility(label, "publish", base, path, env, suffix,
                        ["publish-title", article["id"], f"{article['title']} — {suffix}"],
                        want_front=front is not None)
        text = COMMENT_TEXTS[round_no % len(COMMENT_TEXTS)]
        pending = self.action(env, "add-pending-comment", article["id"], text)
        self.visibility(label, "comment approval", base, path, env, text,
                        ["approve-comment", pending["comment_id"]], want_front=front is not None)

    # --- the phases ----------------------------------------------------------------------
    def run(self):
        a = self.args
        khabar = support.khabar_command()
        wp = None
        if a.with_wordpress:
            wp = self.wordpress_setup()

        print(f"importing {a.articles:,} corpus articles into {self.data_dir} …", flush=True)
        env0 = khabar_env(self.data_dir, 8000)
        self.result["setup"] = {"import_s": self.run_logged(
            [*khabar, "import-articles", str(support.CORPUS), "--limit", str(a.articles)], env0, 3600)}
        article = self.action(env0, "prepare-article")
        self.result["article"] = article
        paths = {"article": article["url"], "home": "/", "section": article["section_url"]}
        self.result["pages"] = paths
        print(f"article: «{article['title']}» ({article['comments']} comments, tags {', '.join(article['tags'])}), "
              f"section «{article['section_title']}»; {article['published']:,} articles published", flush=True)

        # 1. uncached khabar, and nginx serving the HTML it renders
        port = servers.free_port()
        env = khabar_env(self.data_dir, port, KHABAR_PAGE_CACHE="off")
        srv = servers.KhabarServer(self.children, "khabar uncached", env, port, self.log).start(self.budget)
        self.result["setup"]["serve_ready_s"] = srv.ready_s
        self.result["servers"] = {"khabar uncached": srv.facts()}
        for page, path in paths.items():
            r = servers.get(srv.base + quoted(path))
            if r.status != 200:
                raise RuntimeError(f"{page} {path} answered {r.status}")
            mirror(self.www / "khabar", path, r.body)
        print("nginx static (the same HTML from files, at the same paths):", flush=True)
        self.static_rows("nginx static", self.www / "khabar", paths)
        print(f"khabar, KHABAR_PAGE_CACHE=off ({srv.facts()['workers']} granian workers):", flush=True)
        for page in PAGES:
            self.measure("khabar uncached", page, srv.base + quoted(paths[page]), srv.server_pids)
        self.result["memory"]["khabar uncached"] = srv.memory()
        srv.stop()

        # 2. khabar as make serve runs it
        port = servers.free_port()
        env = khabar_env(self.data_dir, port)
        srv = servers.KhabarServer(self.children, "khabar cached", env, port, self.log).start(self.budget)
        self.result["servers"]["khabar cached"] = srv.facts()
        print(f"khabar, make serve defaults (page cache on; {srv.facts()['workers']} granian workers):", flush=True)
        for page in PAGES:
            self.result.setdefault("priming", {})[f"cached {page}"] = self.prime(srv.base + quoted(paths[page]))
            self.measure("khabar cached", page, srv.base + quoted(paths[page]), srv.server_pids)
        self.result["memory"]["khabar cached"] = srv.memory()
        self.dynamics("khabar cached", srv.base, env, article, round_no=0)
        srv.stop()

        # 3. khabar behind the nginx front
        self.front_phase(paths, article)

        # 4. server ceiling: gunicorn on the same app, the cached article
        if not a.no_ceiling:
            self.ceiling(paths["article"])

        # nginx static once more: a tenant busy during the first pass skews every ratio
        print("nginx static again (the same files; ratios use the faster pass):", flush=True)
        self.static_rows("nginx static (again)", self.www / "khabar", paths)

        # 5. WordPress
        if wp is not None:
            self.wordpress_rows(wp)
        self.result["seconds"] = round(self.budget.elapsed(), 1)

    def static_rows(self, server, root, paths, pages=PAGES):
        """nginx serving the copies of pages another server rendered, from ``root`` (see mirror())."""
        static = self.static_server(root, paths[pages[0]])
        for page in pages:
            self.measure(server, page, static.base + quoted(paths[page]), static.pids, sample=False)
        static.stop()

    def static_server(self, root, probe_path, include=None, name=None):
        port = servers.free_port()
        folder = self.tmp / f"nginx-static-{name or root.name}"
        return servers.Nginx(self.children, folder, port).start(
            servers.static_config(folder, port, root, include), quoted(probe_path), self.budget)

    def front_phase(self, paths, article):
        port, front_port, purge_port = servers.free_port(), servers.free_port(), servers.free_port()
        front_base = f"http://127.0.0.1:{front_port}"
        front_dir = self.tmp / "nginx-front"
        config = servers.front_config(front_dir, front_port, port, purge_port, self.data_dir)
        self.result["front"] = {"config_from": config.origin, "purge_module": config.purge,
                                "purge_url": config.purge_base, "nginx_conf": config.text}
        if not config.purge:
            self.note("the front has no purge (module libnginx-mod-http-cache-purge missing, or no "
                      "proxy_cache_purge in the config): it is emptied by hand, and publishing cannot purge it")
        # The deploy config reads page files from /srv/khabar/var/pagefiles, rendered as data_dir/pagefiles.
        files_dir = self.data_dir / "pagefiles"
        env = khabar_env(self.data_dir, port, site_port=front_port, KHABAR_FRONTEND_CACHE_URL=config.purge_base,
                         KHABAR_PAGE_FILES_DIR=str(files_dir) if "pagefiles" in config.text else None)
        srv = servers.KhabarServer(self.children, "khabar behind front", env, port, self.log).start(self.budget)
        self.result["servers"]["khabar behind front"] = srv.facts()
        if env.get("KHABAR_PAGE_FILES_DIR"):
            # As deploy/README.md says: one page before nginx starts writes the headers nginx adds to files.
            servers.get(srv.base + "/")
            self.result["front"]["page_files"] = (files_dir / "nginx.conf").exists()
        front = servers.Nginx(self.children, front_dir, front_port).start(config.text, "/", self.budget)
        print(f"khabar behind the nginx front ({config.origin}; purges to {config.purge_base}):", flush=True)

        def both():
            return front.pids() + srv.server_pids()

        # The front against nginx static serving the same response (body, path and headers: the page
        # files' snippet adds khabar's headers there too) in the same minutes: what the front's own
        # work costs, apart from what the page's security headers cost any server.
        for page in PAGES:
            url = front_base + quoted(paths[page])
            self.result.setdefault("priming", {})[f"front {page}"] = self.prime(url, want_front=True)
            # The page as the front serves it now (the runs before approved a comment, changed a title).
            mirror(self.www / "front", paths[page], servers.get(url).body)
        snippet = files_dir / "nginx.conf"
        snippet = snippet if env.get("KHABAR_PAGE_FILES_DIR") and snippet.exists() else None
        static = self.static_server(self.www / "front", paths[PAGES[0]], snippet)
        # And bare: the same body at the same path without the page's headers, to tell what those cost.
        bare = self.static_server(self.www / "front", paths[PAGES[0]], name="front-bare")
        self.result["front"]["static_beside_headers"] = snippet is not None
        for page in PAGES:
            url, beside = front_base + quoted(paths[page]), static.base + quoted(paths[page])
            self.measure(report.FRONT, page, url, both)
            self.measure(report.BESIDE_FRONT, page, beside, static.pids, sample=False)
            self.paired_runs(page, url, beside)
            self.paired_runs(page, url, bare.base + quoted(paths[page]), bare=True)
        static.stop()
        bare.stop()
        self.result["memory"]["khabar behind front"] = srv.memory()

        def purge_front(path):
            if config.purge:
                return servers.purge_front(config.purge_base, path)
            shutil.rmtree(front_dir / "cache", ignore_errors=True)
            return "cache folder emptied"

        self.dynamics("khabar behind front", front_base, env, article, front=purge_front, round_no=1)
        crashes = servers.tail(front_dir / "nginx-error.log", 200).count("exited on signal")
        if crashes:
            self.note(f"nginx workers of the front crashed {crashes} time(s) (see its error log): "
                      "a PURGE handled by the cache-purge module?")
        front.stop()
        srv.stop()

    def paired_runs(self, page, front_url, static_url, bare=False):
        """Short runs of the front and of nginx static in turn, and the ratio of each pair.

        This machine's speed drifts by a fifth from one minute to the next, with bursts of a few
        seconds; two runs seconds apart meet the same machine, so the median of the pairs' ratios
        says what the front costs better than two long runs a minute apart. Each pair swaps the
        order of the one before. ``bare``: nginx static sends the body without the page's headers.
        """
        a = self.args
        self.quiet()
        pairs, order = [], [("front", front_url), ("static", static_url)]
        for i in range(a.pairs):
            measured = {name: wrk.run(url, threads=a.threads, connections=a.connections, duration=a.pair_duration,
                                      budget=self.budget, timeout_s=a.wrk_timeout)["requests_per_s"]
                        for name, url in (order if i % 2 == 0 else order[::-1])}
            pairs.append({**measured, "ratio": round(measured["front"] / measured["static"], 3)})
        ratios = sorted(p["ratio"] for p in pairs)
        median = statistics.median(ratios)
        key = "front_pairs_bare" if bare else "front_pairs"
        self.result.setdefault(key, {})[page] = {"pairs": pairs, "median_ratio": round(median, 3)}
        against = "bare nginx static (no page headers)" if bare else "nginx static"
        print(f"  front ÷ {against}, {a.pairs} pairs of {a.pair_duration:g} s runs in turn ({page}): "
              f"median {median:.1%} (pairs {', '.join(f'{r:.0%}' for r in ratios)})", flush=True)

    def ceiling(self, article_path):
        """granian (the cached row above) against gunicorn gthread, same app, same cached article."""
        if importlib.util.find_spec("gunicorn") is None:
            print("installing gunicorn into the venv for the server ceiling …", flush=True)
            self.run_logged([sys.executable, "-m", "pip", "install", "--quiet", "gunicorn"], dict(os.environ), 600)
        import gunicorn

        cores = os.cpu_count() or 1
        counts = [int(x) for x in self.args.gunicorn_workers.split(",") if x] or [cores, 2 * cores]
        self.result["ceiling"] = {"gunicorn_version": gunicorn.__version__, "granian_version": granian_version()}
        print(f"server ceiling: gunicorn {gunicorn.__version__} gthread on khabar's cached article:", flush=True)
        for count in counts:
            port = servers.free_port()
            label = f"gunicorn gthread {count}×4"
            srv = servers.KhabarServer(self.children, label, khabar_env(self.data_dir, port), port, self.log,
                                       kind="gunicorn", gunicorn_workers=count).start(self.budget)
            self.prime(srv.base + quoted(article_path))
            self.measure(label, "article", srv.base + quoted(article_path), srv.server_pids)
            self.result["memory"][label] = srv.memory()
            srv.stop()

    def wordpress_setup(self):
        reason = wordpress.unavailable()
        if reason:
            self.note(f"WordPress skipped: {reason}")
            return None
        print(f"WordPress: setup.sh and load.py -n {self.args.articles} in {wordpress.WP_DIR} "
              f"(minutes; log {self.tmp / 'wordpress.log'}) …", flush=True)
        try:
            facts = wordpress.setup(self.args.articles, self.tmp / "wordpress.log", self.budget)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            self.note(f"WordPress could not be brought up: {error}\n{servers.tail(self.tmp / 'wordpress.log')}")
            wordpress.teardown(self.tmp / "wordpress.log")
            return None
        self.extra_own_pids = wordpress.server_pids
        self.result["wordpress"] = facts
        rules = facts.get("rewrite_rules", {})
        if rules.get("before") != rules.get("after"):
            self.note(f"WordPress's rewrite rules were rebuilt ({rules}): as set up, its category pages answered 404")
        return facts

    def wordpress_rows(self, facts):
        try:
            paths = wordpress.page_paths(facts["article"]["url"])
            self.result["wordpress"]["pages"] = paths
            pages = [p for p in PAGES if paths.get(p)]
            if "section" not in pages:
                self.note("WordPress has no section (category) page answering 200: its section rows are missing")
            for page in pages:  # WordPress's own HTML from a file: the floor for its ratios
                mirror(self.www / "wordpress", paths[page], servers.get(wordpress.UNCACHED + paths[page]).body)
            print("nginx static (WordPress's HTML from files, at its paths):", flush=True)
            self.static_rows("nginx static (WP HTML)", self.www / "wordpress", paths, pages)
            print("WordPress uncached (php-fpm, MariaDB):", flush=True)
            for page in pages:
                self.measure("WordPress uncached", page, wordpress.UNCACHED + paths[page], wordpress.server_pids,
                             sample=False)
            self.result["memory"]["WordPress php-fpm pool"] = {"rss_mib": wordpress.fpm_memory()}
            wordpress.clear_fastcgi_cache()
            print("WordPress behind nginx fastcgi_cache:", flush=True)
            for page in pages:
                url = wordpress.CACHED + paths[page]
                primed = [servers.get(url).header("x-wpb-cache") for _ in range(3)]
                self.result["wordpress"].setdefault("priming", {})[page] = primed
                if primed[-1] != "HIT":
                    self.note(f"WordPress fastcgi_cache answers {primed} for the {page} page")
                self.measure("WordPress fastcgi_cache", page, url, wordpress.server_pids, sample=False)
        finally:
            wordpress.teardown(self.tmp / "wordpress.log")
            self.extra_own_pids = lambda: []


def quoted(path):
    return urllib.parse.quote(urllib.parse.unquote(path), safe="/")


def mirror(root, path, body):
    """Write ``body`` where nginx static, with ``root`` as its root, serves ``path`` (index.html in a folder
    for a path ending in /), as a mirror of the site would. The same URL as the server compared: nginx
    spends a fifth more on a long percent-encoded Arabic path than on /article.html."""
    relative = urllib.parse.unquote(path).lstrip("/")
    target = root / relative / "index.html" if path.endswith("/") else root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    os.chmod(target, 0o644)  # nginx workers run as another user


def granian_version():
    try:
        import granian

        return granian.__version__
    except ImportError:
        return None


def burst(url, n):
    """``n`` requests sent at once, each on its own connection; what each got back."""
    parts = urllib.parse.urlsplit(url)
    gate = threading.Barrier(n + 1)
    answers = [dict() for _ in range(n)]

    def one(i):
        import http.client

        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            conn.connect()
        except OSError as error:
            answers[i] = {"error": str(error)}
        try:
            gate.wait(30)
        except threading.BrokenBarrierError:
            pass
        if "error" in answers[i]:
            return
        started = time.perf_counter()
        try:
            conn.request("GET", parts.path)
            response = conn.getresponse()
            response.read()
            headers = {k.lower(): v for k, v in response.getheaders()}
            answers[i] = {"status": response.status, "khabar": headers.get("x-khabar-cache"),
                          "front": servers.Response(response.status, headers, b"").front_status(),
                          "ms": (time.perf_counter() - started) * 1000}
        except OSError as error:
            answers[i] = {"error": str(error)}
        finally:
            conn.close()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    try:
        gate.wait(30)
    except threading.BrokenBarrierError:
        pass
    for thread in threads:
        thread.join(120)
    return answers


def main(argv=None):
    args = parse_args(argv)
    support.skip_without_corpus()
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    if missing:
        print(f"SKIPPED: {' and '.join(missing)} not installed (apt-get install -y nginx-light wrk, or make bench).")
        return 0
    if args.with_wordpress and wordpress.unavailable():
        print(f"WordPress rows SKIPPED: {wordpress.unavailable()}; measuring khabar and nginx only.", flush=True)
    support.terminate_as_interrupt()
    bench = Bench(args)
    print(f"khabar pages benchmark: temp dir {bench.tmp}, log {bench.log}", flush=True)
    code = 0
    try:
        bench.run()
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the servers", file=sys.stderr)
        code = 130
    except (support.OutOfTime, RuntimeError, subprocess.TimeoutExpired, OSError) as error:
        print(f"\nFAILED: {error}", file=sys.stderr)
        bench.result["failed"] = str(error)
        code = 1
    finally:
        bench.children.stop_all()
        if bench.extra_own_pids is wordpress.server_pids:
            wordpress.teardown(bench.tmp / "wordpress.log")
    if bench.result["rows"]:
        report.print_report(bench.result)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        support.write_results(f"{NAME}-{stamp}", bench.result, echo=False)
    if args.keep or code:
        print(f"kept {bench.tmp} (log: {bench.log})")
    else:
        shutil.rmtree(bench.tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
