"""The servers bench/pages.py starts: khabar (granian or gunicorn), nginx static, nginx as khabar's front.

Every server runs as a child of the benchmark, on 127.0.0.1 and a free port, and
is stopped by process group at the end (``_support.Children``).
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import _support as support

PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
DEPLOY_FRONT = support.REPO_DIR / "deploy" / "nginx" / "khabar.conf"
# Values a proxy's cache-status header takes (nginx's $upstream_cache_status, Varnish-style HIT/MISS).
FRONT_STATUSES = {"HIT", "MISS", "EXPIRED", "STALE", "UPDATING", "REVALIDATED", "BYPASS"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower())

    def front_status(self):
        """The front cache's verdict, whatever the header is called (X-Front-Cache, X-Cache-Status…)."""
        for name, value in self.headers.items():
            if name != "x-khabar-cache" and "cache" in name and value.upper() in FRONT_STATUSES:
                return value.upper()
        return None


def get(url, timeout=30, method="GET", headers=None):
    """One request on a new connection; never raises for an HTTP status."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        conn.close()


def tail(path, lines=25):
    try:
        return "\n".join(Path(path).read_text(errors="replace").replace("\r", "\n").splitlines()[-lines:])
    except OSError:
        return ""


def _ppid(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat[stat.rindex(")") + 2:].split()[1])
    except (OSError, ValueError):
        return 0


def wait_until_up(url, proc, log_path, budget, wanted=300):
    deadline = time.monotonic() + budget.timeout(wanted)
    first_error = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before answering:\n{tail(log_path)}")
        try:
            status = get(url, timeout=10).status
            if status == 200:
                return
            first_error = first_error or time.monotonic()
            if time.monotonic() - first_error > 15:
                raise RuntimeError(f"{url} answers {status} instead of 200:\n{tail(log_path)}")
        except OSError:
            pass
        time.sleep(0.3)
    raise support.OutOfTime(f"{url} did not answer within {wanted} s:\n{tail(log_path)}")


# --- khabar ----------------------------------------------------------------------
class KhabarServer:
    """``khabar serve`` (granian and the task worker, as ``make serve`` runs them) or gunicorn on the same app."""

    def __init__(self, children, label, env, port, log_path, kind="granian", gunicorn_workers=0, gunicorn_threads=4):
        self.children, self.label, self.env, self.port, self.log_path = children, label, env, port, log_path
        self.kind, self.gunicorn_workers, self.gunicorn_threads = kind, gunicorn_workers, gunicorn_threads
        self.proc = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, budget):
        if self.kind == "granian":
            cmd = [*support.khabar_command(), "serve", "--port", str(self.port)]
        else:
            cmd = [sys.executable, "-m", "gunicorn", "khabar.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.gunicorn_workers), "--worker-class", "gthread",
                   "--threads", str(self.gunicorn_threads), "--log-level", "warning"]
        with open(self.log_path, "ab") as log:
            log.write(f"\n$ {' '.join(cmd)}  [{self.label}]\n".encode())
            log.flush()
            started = time.monotonic()
            self.proc = self.children.start(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_until_up(self.base + "/", self.proc, self.log_path, budget)
        self.ready_s = round(time.monotonic() - started, 1)
        deadline = time.monotonic() + 20  # every web worker must be up before anything is measured
        while len(self.web_workers()) < self.expected_workers() and time.monotonic() < deadline:
            time.sleep(0.2)
        return self

    def stop(self):
        if self.proc is not None:
            self.children.stop(self.proc)
            self.proc = None

    def expected_workers(self):
        if self.kind == "gunicorn":
            return self.gunicorn_workers
        return int(self.env.get("KHABAR_WEB_WORKERS") or os.cpu_count() or 1)

    def _web_main(self):
        """The process that owns the web workers: granian's main process, or gunicorn's arbiter."""
        if self.kind == "gunicorn":
            return self.proc.pid
        for pid in support.descendants(self.proc.pid):
            if "granian" in " ".join(support.cmdline(pid)) and _ppid(pid) == self.proc.pid:
                return pid
        return None

    def web_workers(self):
        main = self._web_main()
        return support.descendants(main) if main else []

    def server_pids(self):
        """The web server's processes (main and workers), not the task worker: their CPU serves the requests."""
        main = self._web_main()
        return [main, *support.descendants(main)] if main else []

    def all_pids(self):
        return [self.proc.pid, *support.descendants(self.proc.pid)] if self.proc else []

    def task_worker(self):
        if self.kind != "granian":
            return None
        return next((pid for pid in support.descendants(self.proc.pid)
                     if "khabar.cli worker" in " ".join(support.cmdline(pid))), None)

    def facts(self):
        main = self._web_main()
        return {"kind": self.kind, "argv": support.cmdline(main)[1:] if main else [],
                "workers": len(self.web_workers()),
                "ready_s": getattr(self, "ready_s", None)}

    def memory(self):
        """RSS now and at its peak, MiB, of each web worker (and of the main process and the task worker)."""
        def mib(pid):
            rss, peak = support.memory_kib(pid)
            return {"pid": pid, "rss_mib": round((rss or 0) / 1024, 1), "peak_rss_mib": round((peak or 0) / 1024, 1)}

        main, worker = self._web_main(), self.task_worker()
        return {"web_workers": [mib(pid) for pid in self.web_workers()], "main": mib(main) if main else None,
                "task_worker": mib(worker) if worker else None}


# --- nginx -------------------------------------------------------------------------
NGINX_COMMON = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
"""
NGINX_HTTP_COMMON = """\
    access_log off;
    client_body_temp_path {tmp}/tmp/body;
    proxy_temp_path {tmp}/tmp/proxy;
    fastcgi_temp_path {tmp}/tmp/fastcgi;
    uwsgi_temp_path {tmp}/tmp/uwsgi;
    scgi_temp_path {tmp}/tmp/scgi;
    sendfile on;
    tcp_nopush off;
    tcp_nodelay on;
    keepalive_requests 1000000;
"""

STATIC_CONF = NGINX_COMMON + """\
http {{
""" + NGINX_HTTP_COMMON + """\
    types {{ text/html html; }}
    default_type text/html;
    charset utf-8;
    open_file_cache max=100 inactive=60s;
    server {{
        listen 127.0.0.1:{port};
        root {root};{include}
    }}
}}
"""

# TODO(deploy): a stand-in for deploy/nginx/khabar.conf, used only while that file does not exist;
# when it does, front_config() renders it instead. Same idea: proxy_cache in front of khabar,
# honouring khabar's Cache-Control (s-maxage), one request upstream per page (cache lock),
# stale copies while one refreshes, PURGE from loopback for Wagtail's frontend-cache backend.
FRONT_CONF = "{load_module}" + NGINX_COMMON + """\
http {{
""" + NGINX_HTTP_COMMON + """\
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=khabar:32m max_size=1g inactive=60m use_temp_path=off;
    upstream khabar {{
        server 127.0.0.1:{upstream};
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://khabar;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_cache khabar;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
            proxy_cache_background_update on;
            proxy_cache_revalidate on;
            proxy_cache_bypass $cookie_sessionid $http_authorization;
            proxy_no_cache $cookie_sessionid $http_authorization;
            {purge}
            add_header X-Front-Cache $upstream_cache_status always;
        }}
        {purge_location}
        location /admin/ {{
            proxy_pass http://khabar;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


# The module's one-line form, ``proxy_cache_purge PURGE from 127.0.0.1;`` inside ``location /``,
# kills the nginx worker (signal 11) on every PURGE with Debian 12's nginx 1.22.1 and
# libnginx-mod-http-cache-purge 2.3-4. The form that names the zone and the key works:
# PURGE requests are diverted to a named location that holds it.
PURGE_DIVERT = """error_page 418 = @purge;
            if ($request_method = PURGE) { return 418; }"""
PURGE_LOCATION = """location @purge {
            allow 127.0.0.1;
            deny all;
            proxy_cache_purge khabar $scheme$host$request_uri;
        }"""


class Nginx:
    def __init__(self, children, tmp, port):
        self.children, self.tmp, self.port, self.proc = children, Path(tmp), port, None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, conf_text, probe_path, budget):
        (self.tmp / "tmp").mkdir(parents=True, exist_ok=True)
        conf = self.tmp / "nginx.conf"
        conf.write_text(conf_text)
        # nginx workers drop root privileges: they must be able to walk into this dir (the
        # benchmark opens its own temp dir to them too).
        os.chmod(self.tmp, 0o755)
        log = open(self.tmp / "console.log", "wb")
        self.proc = self.children.start(["nginx", "-c", str(conf), "-p", str(self.tmp)], stdout=log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + budget.timeout(60)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited ({self.proc.returncode}):\n{tail(self.tmp / 'console.log')}\n"
                                   f"{tail(self.tmp / 'nginx-error.log')}")
            try:
                if get(self.base + probe_path, timeout=10).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"nginx did not answer {probe_path} within 60 s")

    def pids(self):
        return [self.proc.pid, *support.descendants(self.proc.pid)] if self.proc else []

    def stop(self):
        if self.proc is not None:
            self.children.stop(self.proc)
            self.proc = None


def static_config(tmp, port, root, include=None):
    """nginx serving the files under ``root``; ``include``: a file of directives for its server (headers)."""
    return STATIC_CONF.format(workers=os.cpu_count() or 1, tmp=tmp, port=port, root=root,
                              include=f"\n        include {include};" if include else "")


class FrontConfig:
    """An nginx config for khabar's caching front, and where Wagtail sends its PURGE requests."""

    def __init__(self, text, origin, purge, purge_base):
        self.text, self.origin, self.purge, self.purge_base = text, origin, purge, purge_base


def front_config(tmp, port, upstream_port, purge_port, data_dir):
    """nginx as khabar's caching front on ``port``, for khabar on ``upstream_port``.

    deploy/nginx/khabar.conf when it exists and, moved to this run's ports and folders,
    passes ``nginx -t``; otherwise the stand-in above.
    """
    purge = PURGE_MODULE.exists()
    if DEPLOY_FRONT.exists():
        text = render_deploy_front(tmp, port, upstream_port, purge_port, data_dir)
        problem = nginx_test(tmp, text)
        origin = str(DEPLOY_FRONT.relative_to(support.REPO_DIR))
        if problem is None:
            separate = f"127.0.0.1:{purge_port}" in text
            return FrontConfig(text, origin, "_cache_purge" in text,
                               f"http://127.0.0.1:{purge_port if separate else port}")
        print(f"NOTE: {origin} did not render for this run ({problem}); using the stand-in", flush=True)
    text = FRONT_CONF.format(
        load_module=f"load_module {PURGE_MODULE};\n" if purge else "",
        workers=os.cpu_count() or 1, tmp=tmp, port=port, upstream=upstream_port,
        purge=PURGE_DIVERT if purge else "", purge_location=PURGE_LOCATION if purge else "",
    )
    return FrontConfig(text, "bench/_servers.py stand-in (no deploy/nginx/khabar.conf)", purge,
                       f"http://127.0.0.1:{port}")


def render_deploy_front(tmp, port, upstream_port, purge_port, data_dir):
    """deploy/nginx/khabar.conf, rendered for this run: listeners, upstream and folders moved here.

    The file is what goes in /etc/nginx/sites-available (http context); it is wrapped in a
    main config of the run's own (pid, logs, temp folders in ``tmp``). Its readers' server
    listens on ``port``; a server that purges (``proxy_cache_purge``) on ``purge_port``.
    """
    text = DEPLOY_FRONT.read_text()
    starts = [m.start() for m in re.finditer(r"(?m)^server\s*\{", text)] + [len(text)]
    pieces = [text[:starts[0]]]
    for begin, end in zip(starts, starts[1:]):
        block = text[begin:end]
        target = purge_port if "_cache_purge" in block else port
        block = re.sub(r"(?m)^\s*listen\s+[^;]*\bssl\b[^;]*;[ \t]*\n", "", block)  # loopback speaks plain HTTP
        block = re.sub(r"(?m)^(\s*)listen\s+[^;]+;", rf"\1listen 127.0.0.1:{target};", block)
        block = re.sub(r"(?m)^(\s*listen 127\.0\.0\.1:\d+;\n)(?:\s*listen 127\.0\.0\.1:\d+;\n)+", r"\1", block)
        pieces.append(block)
    text = "".join(pieces)
    text = re.sub(r"(?m)^(\s*)server\s+(?:127\.0\.0\.1|localhost|\[::1\]|unix:)[^;\s]*",
                  rf"\1server 127.0.0.1:{upstream_port}", text)
    text = re.sub(r"(?m)^(\s*proxy_cache_path\s+)\S+", rf"\1{tmp}/cache", text)
    text = text.replace("/srv/khabar/var", str(data_dir))
    # The page files' snippet an administrator installs: here, khabar's own proposal is used as it is.
    text = text.replace("/etc/nginx/snippets/khabar-page-files.con", f"{data_dir}/pagefiles/nginx.con")
    text = re.sub(r"(?m)^(\s*)access_log\s+(?!off)[^;]+;", r"\1access_log off;", text)
    text = re.sub(r"(?m)^\s*error_log\s+[^;]+;[ \t]*\n", "", text)
    text = re.sub(r"(?m)^(\s*include\s+)(?!/)(\S+;)", r"\1/etc/nginx/\2", text)
    text = re.sub(r"(?m)^\s*(?:ssl_\w+|load_module)\s+[^;]+;[ \t]*\n", "", text)
    modules = f"load_module {PURGE_MODULE};\n" if "_cache_purge" in text and PURGE_MODULE.exists() else ""
    return (modules + NGINX_COMMON.format(workers=os.cpu_count() or 1, tmp=tmp)
            + "http {\n" + NGINX_HTTP_COMMON.format(tmp=tmp) + "    include /etc/nginx/mime.types;\n"
            + text + "\n}\n")


def nginx_test(tmp, text):
    """None when ``nginx -t`` accepts the config, else its complaint."""
    tmp = Path(tmp)
    (tmp / "tmp").mkdir(parents=True, exist_ok=True)
    conf = tmp / "nginx-test.conf"
    conf.write_text(text)
    proc = subprocess.run(["nginx", "-t", "-q", "-c", str(conf), "-p", str(tmp)], capture_output=True, text=True)
    return None if proc.returncode == 0 else (proc.stderr or proc.stdout).strip()[-500:]


def purge_front(front_base, path):
    """Ask the front to forget one page, as Wagtail's HTTP frontend-cache backend does (PURGE, same path)."""
    try:
        return get(front_base + path, method="PURGE", timeout=10).status
    except OSError as error:
        return f"error: {error}"
