"""Article page through khabar's production server vs nginx serving the same HTML from a file.

One run: a temporary data dir gets N corpus articles (``khabar import-articles``),
``khabar serve --no-worker`` starts gunicorn as it would in production, and nginx
serves the article's HTML as a static file beside it. wrk loads each target on
127.0.0.1 in turn (never at the same time), then the home page and a section page
on khabar. Prints a table and a JSON object (also bench/results/pages.json).

    .venv/bin/python bench/pages.py              # 2,000 articles, wrk -t2 -c32 -d10s
    .venv/bin/python bench/pages.py --quick      # 3 s runs, a smoke test

Needs nginx and wrk (``make bench`` installs nginx-light and wrk) and the shared corpus;
it skips with a message when either is missing.
"""

import argparse
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

NAME = "pages"
STOP_PREFIXES = ("/static/", "/media/", "/admin/", "/documents/", "/feed/", "/tag/", "/author/", "/search/")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=2000, help="corpus articles to import (default 2000)")
    p.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument("--warmup", type=float, default=2, help="unrecorded wrk seconds before each run (default 2)")
    p.add_argument("--wrk-timeout", type=float, default=10,
                   help="wrk socket timeout in s; slower responses are dropped from its histogram (default 10)")
    p.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: khabar's own default)")
    p.add_argument("--quick", action="store_true",
                   help="3 s runs, 1 s warm-up: a smoke run (results in bench/results/pages-quick.json)")
    p.add_argument("--budget", type=float, default=900, help="stop the whole benchmark after this many seconds")
    p.add_argument("--keep", action="store_true", help="keep the temporary data dir (its path is printed)")
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 3, 1
    return args


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, timeout=10):
    """(status, body bytes) of a GET; errors come back as their status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def site_links(html, base):
    """(section paths, article paths) linked from a page, in page order: /section/ and /section/article/."""
    parser = LinkParser()
    parser.feed(html)
    sections, articles = [], []
    for href in parser.links:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, href))
        if f"{parts.scheme}://{parts.netloc}" != base.rstrip("/") or parts.query:
            continue
        path = urllib.parse.unquote(parts.path)
        if path.startswith(STOP_PREFIXES) or not path.endswith("/"):
            continue
        depth = len([p for p in path.split("/") if p])
        bucket = {1: sections, 2: articles}.get(depth)
        if bucket is not None and path not in bucket:
            bucket.append(path)
    return sections, articles


def quoted(path):
    return urllib.parse.quote(path, safe="/")


# --- wrk ---------------------------------------------------------------------
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output):
    """requests/s, latency percentiles (ms), request and error counts from ``wrk --latency`` output."""
    result = {}
    match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not match:
        raise ValueError("no Requests/sec in wrk output:\n" + output)
    result["requests_per_s"] = float(match.group(1))
    distribution = output.split("Latency Distribution", 1)
    if len(distribution) != 2:
        raise ValueError("no latency distribution in wrk output (was --latency passed?):\n" + output)
    for pct, value in re.findall(r"^\s+(\d+)%\s+(\S+)", distribution[1], re.M):
        result[f"p{pct}_ms"] = round(to_ms(value), 3)
    match = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", output, re.M)
    if match:
        result["mean_ms"], result["max_ms"] = round(to_ms(match.group(1)), 3), round(to_ms(match.group(3)), 3)
    match = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", output)
    if match:
        result["requests"] = int(match.group(1))
        result["read"] = match.group(3)
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, match.groups()))) if match else {}
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx_3xx"] = int(match.group(1)) if match else 0
    return result


def process_cpu_seconds(pids):
    """User+system CPU seconds used so far by the given processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / ticks


def run_wrk(url, args, budget, duration, server_pids):
    timeout = budget.timeout(duration + 30)
    if timeout < duration + 5:
        raise support.OutOfTime(f"not enough time left for a {duration:.0f} s wrk run")
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration:g}s",
           f"--timeout", f"{args.wrk_timeout:g}s", "--latency", url]
    cpu_before, busy_before = process_cpu_seconds(server_pids), support.system_busy_seconds()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    cpu_used = process_cpu_seconds(server_pids) - cpu_before
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    other_cpu = support.system_busy_seconds() - busy_before - cpu_used - wrk_cpu
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    result = parse_wrk(proc.stdout)
    result["command"] = " ".join(cmd)
    result["server_cpu_s"] = round(cpu_used, 2)
    result["wrk_cpu_s"] = round(wrk_cpu, 2)
    # CPU that neither the server nor wrk used: other work on a shared machine skews the figures.
    result["other_cpu_s"] = round(max(other_cpu, 0.0), 2)
    if result.get("requests"):
        result["server_cpu_ms_per_request"] = round(1000 * cpu_used / result["requests"], 3)
    return result


# --- the servers -----------------------------------------------------------------
def khabar_env(data_dir, port):
    env = dict(os.environ)
    env.update(
        KHABAR_DATA_DIR=str(data_dir),
        KHABAR_SITE_URL=f"http://127.0.0.1:{port}",
        KHABAR_ALLOWED_HOSTS="127.0.0.1,localhost",
        KHABAR_DEBUG="0",
    )
    for name in ("KHABAR_DATABASE_URL", "KHABAR_REDIS_URL", "KHABAR_WEB_WORKERS"):
        env.pop(name, None)  # this benchmark measures the default, single-machine setup
    return env


def run_logged(cmd, env, log_path, budget, wanted):
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(cmd)}\n".encode())
        log.flush()
        started = time.monotonic()
        proc = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=budget.timeout(wanted))
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}); see {log_path}:\n{tail(log_path)}")
    return time.monotonic() - started


def tail(path, lines=25):
    try:
        return "\n".join(Path(path).read_text(errors="replace").replace("\r", "\n").splitlines()[-lines:])
    except OSError:
        return ""


def wait_until_up(url, proc, log_path, budget, wanted=300):
    deadline = time.monotonic() + budget.timeout(wanted)
    first_error = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before answering:\n{tail(log_path)}")
        try:
            status, _ = fetch(url, timeout=5)
            if status == 200:
                return
            # It answers, but not with the page: give it a few seconds, then say why.
            first_error = first_error or time.monotonic()
            if time.monotonic() - first_error > 10:
                raise RuntimeError(f"{url} answers {status} instead of 200:\n{tail(log_path)}")
        except OSError:
            pass
        time.sleep(0.5)
    raise support.OutOfTime(f"{url} did not answer within {wanted} s:\n{tail(log_path)}")


def gunicorn_facts(serve_pid):
    """The gunicorn master's arguments and its workers, as seen in /proc (not as configured)."""
    tree = support.descendants(serve_pid)
    masters = [pid for pid in tree if "gunicorn" in " ".join(support.cmdline(pid))
               and not any("gunicorn" in " ".join(support.cmdline(p)) for p in [_ppid(pid)])]
    if not masters:
        return {}, []
    master = masters[0]
    argv = support.cmdline(master)
    workers = support.descendants(master)

    def option(name):
        return argv[argv.index(name) + 1] if name in argv else None

    return {
        "master_pid": master,
        "argv": argv[1:],
        "workers_configured": int(option("--workers")) if option("--workers") else None,
        "workers_running": len(workers),
        "worker_class": option("--worker-class") or option("-k"),
        "threads_per_worker": int(option("--threads")) if option("--threads") else 1,
        "bind": option("--bind") or option("-b"),
    }, [master] + workers


def _ppid(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat[stat.rindex(")") + 2:].split()[1])
    except (OSError, ValueError):
        return 0


NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-tmp/body;
    proxy_temp_path {tmp}/nginx-tmp/proxy;
    fastcgi_temp_path {tmp}/nginx-tmp/fastcgi;
    uwsgi_temp_path {tmp}/nginx-tmp/uwsgi;
    scgi_temp_path {tmp}/nginx-tmp/scgi;
    types {{ text/html html; }}
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def start_nginx(children, tmp, port, budget):
    (tmp / "nginx-tmp").mkdir(exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=os.cpu_count() or 1, tmp=tmp, port=port, root=tmp / "www"))
    # nginx workers drop root privileges: they must be able to walk into the temp dir.
    os.chmod(tmp, 0o755)
    log = open(tmp / "nginx-console.log", "wb")
    proc = children.start(["nginx", "-c", str(conf), "-p", str(tmp)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + budget.timeout(30)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited ({proc.returncode}):\n{tail(tmp / 'nginx-console.log')}\n"
                               f"{tail(tmp / 'nginx-error.log')}")
        try:
            status, _ = fetch(f"http://127.0.0.1:{port}/article.html", timeout=2)
            if status == 200:
                return proc, [proc.pid] + support.descendants(proc.pid)
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("nginx did not answer within 30 s")


# --- the benchmark ----------------------------------------------------------------
def main(argv=None):
    args = parse_args(argv)
    support.skip_without_corpus()
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    if missing:
        print(f"SKIPPED: {' and '.join(missing)} not installed (apt-get install -y nginx-light wrk, or make bench).")
        return 0
    support.terminate_as_interrupt()
    budget = support.Budget(args.budget)
    children = support.Children()
    tmp = Path(tempfile.mkdtemp(prefix="khabar-bench-pages-"))
    data_dir = tmp / "data"
    log_path = tmp / "khabar.log"
    result = {
        "benchmark": NAME,
        "machine": support.machine_facts(),
        "settings": {
            "articles": args.articles, "duration_s": args.duration, "warmup_s": args.warmup,
            "wrk_threads": args.threads, "connections": args.connections, "wrk_timeout_s": args.wrk_timeout,
            "database": "sqlite (default)", "cache": "locmem (default)",
        },
    }
    print(f"khabar pages benchmark: temp dir {tmp}", flush=True)
    try:
        port, nginx_port = free_port(), free_port()
        env = khabar_env(data_dir, port)
        khabar = support.khabar_command()

        print(f"importing {args.articles:,} articles …", flush=True)
        seconds = run_logged([*khabar, "import-articles", str(support.CORPUS), "--limit", str(args.articles)],
                             env, log_path, budget, 1800)
        result["setup"] = {"import_s": round(seconds, 1)}
        run_logged([*khabar, "manage", "khabar_setup", "--no-demo"], env, log_path, budget, 300)

        serve_cmd = [*khabar, "serve", "--port", str(port), "--no-worker"]
        if args.workers:
            serve_cmd += ["--workers", str(args.workers)]
        print(f"starting {' '.join(serve_cmd[-4:])} (migrate, collectstatic, gunicorn) …", flush=True)
        started = time.monotonic()
        with open(log_path, "ab") as log:
            serve = children.start(serve_cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/", serve, log_path, budget)
        result["setup"]["serve_ready_s"] = round(time.monotonic() - started, 1)
        time.sleep(1)  # let every gunicorn worker finish booting
        gunicorn, server_pids = gunicorn_facts(serve.pid)
        result["gunicorn"] = gunicorn
        print(f"gunicorn: {gunicorn.get('workers_running')} {gunicorn.get('worker_class')} workers × "
              f"{gunicorn.get('threads_per_worker')} threads", flush=True)

        status, home_html = fetch(base + "/")
        sections, articles = site_links(home_html.decode(), base)
        if not articles:
            raise RuntimeError("the home page links to no article")
        article_path = articles[0]
        section_path = "/" + article_path.strip("/").split("/")[0] + "/"
        status, article_html = fetch(base + quoted(article_path))
        if status != 200:
            raise RuntimeError(f"{article_path} answered {status}")
        www = tmp / "www"
        www.mkdir()
        (www / "article.html").write_bytes(article_html)
        nginx, nginx_pids = start_nginx(children, tmp, nginx_port, budget)

        targets = [
            ("article (nginx, static file)", f"http://127.0.0.1:{nginx_port}/article.html", nginx_pids),
            ("article (khabar)", base + quoted(article_path), server_pids),
            ("home (khabar)", base + "/", server_pids),
            ("section (khabar)", base + quoted(section_path), server_pids),
        ]
        result["pages"] = {"article": article_path, "section": section_path}
        result["targets"] = []
        for label, url, pids in targets:
            status, body = fetch(url)
            if status != 200:
                raise RuntimeError(f"{label} {url} answered {status}")
            print(f"wrk: {label} …", flush=True)
            if args.warmup:
                run_wrk(url, args, budget, args.warmup, pids)
            measured = run_wrk(url, args, budget, args.duration, pids)
            measured.update(target=label, url=url, html_bytes=len(body))
            result["targets"].append(measured)

        _, rss = zip(*(support.memory_kib(pid) for pid in server_pids)) if server_pids else ((), ())
        result["gunicorn"]["peak_rss_mib_per_process"] = [round((kib or 0) / 1024, 1) for kib in rss]
        print_report(result)
        result["seconds"] = round(budget.elapsed(), 1)
        # A smoke run must not overwrite the figures of a real one.
        support.write_results(NAME + ("-quick" if args.quick else ""), result)
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the servers", file=sys.stderr)
        return 130
    except (support.OutOfTime, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        children.stop_all()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def print_report(result):
    nginx = next(t for t in result["targets"] if "nginx" in t["target"])
    rows = []
    for t in result["targets"]:
        errors = sum(t["socket_errors"].values()) + t["non_2xx_3xx"]
        rows.append([
            t["target"], f"{t['requests_per_s']:,.1f}", f"{t['p50_ms']:.2f}", f"{t['p99_ms']:.2f}",
            f"{t['requests_per_s'] / nginx['requests_per_s']:.4f}", f"{t.get('server_cpu_ms_per_request', 0):.3f}",
            f"{t['html_bytes']:,}", errors, f"{t['other_cpu_s']:.1f}",
        ])
    settings, machine, g = result["settings"], result["machine"], result["gunicorn"]
    print()
    print(f"wrk -t{settings['wrk_threads']} -c{settings['connections']} -d{settings['duration_s']:g}s --latency, "
          f"127.0.0.1; {settings['articles']:,} articles on SQLite; nproc {machine['nproc']}, "
          f"Python {machine['python']}, SQLite {machine['sqlite']}")
    print(f"gunicorn: {g.get('workers_running')} workers ({g.get('worker_class')}, "
          f"{g.get('threads_per_worker')} threads each); nginx: {machine['nproc']} workers")
    print(support.render_table(
        ["target", "req/s", "p50 ms", "p99 ms", "ratio to nginx", "server CPU ms/req", "bytes", "errors",
         "other CPU s"], rows, "lrrrrrrrr"))
    print("ratio to nginx = req/s ÷ nginx req/s; server CPU = gunicorn master+workers (or nginx) CPU time per "
          "request;\nother CPU s = CPU used during the run by neither the server nor wrk (other load on the machine).")
    print()


if __name__ == "__main__":
    sys.exit(main())
