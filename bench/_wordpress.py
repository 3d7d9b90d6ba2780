"""WordPress beside khabar, through the shared anchor in ../shared/bench/wordpress (its README says how).

That folder's ``setup.sh`` installs WordPress, php-fpm, MariaDB and nginx from Debian
packages and starts them on loopback (:8081 uncached, :8083 behind nginx fastcgi_cache),
``load.py -n N`` inserts N corpus articles plus the reference article, and
``teardown.sh`` stops the servers. Everything it writes lives under ``WPB_STATE``.
bench/pages.py measures the pages itself, with the same wrk runs as khabar's.
"""

import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import _support as support
from _servers import get

WP_DIR = Path(os.environ.get("KHABAR_BENCH_WORDPRESS", support.REPO_DIR.parent / "shared" / "bench" / "wordpress"))
STATE = Path(os.environ.get("WPB_STATE", "/var/lib/wpbench"))
HOST = os.environ.get("WPB_HOST", "127.0.0.1")
UNCACHED = f"http://{HOST}:{os.environ.get('WPB_WP_PORT', '8081')}"
CACHED = f"http://{HOST}:{os.environ.get('WPB_CACHE_PORT', '8083')}"


def unavailable():
    """Why WordPress cannot be brought up here, or None."""
    if not WP_DIR.is_dir():
        return f"{WP_DIR} is absent (the shared folder ../shared is not on this machine)"
    if os.geteuid() != 0:
        return "the WordPress anchor needs root (apt-get, a MariaDB data dir)"
    return None


def _run(cmd, log_path, budget, wanted):
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
        log.flush()
        started = time.monotonic()
        proc = subprocess.run([str(c) for c in cmd], stdout=log, stderr=subprocess.STDOUT, cwd=WP_DIR,
                              timeout=budget.timeout(wanted))
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}); see {log_path}")
    return round(time.monotonic() - started, 1)


def setup(articles, log_path, budget):
    """Install (when needed), start and load WordPress; return timings and the article's record."""
    packaged = Path("/usr/share/wordpress/wp-load.php").exists() and any(Path("/usr/sbin").glob("php-fpm*"))
    setup_cmd = ["bash", WP_DIR / "setup.sh", *(["--skip-apt"] if packaged else [])]
    facts = {"setup_s": _run(setup_cmd, log_path, budget, 1800), "apt": not packaged}
    facts["load_s"] = _run(["python3", WP_DIR / "load.py", support.CORPUS, "-n", str(articles)], log_path, budget, 3600)
    facts["article"] = json.loads((STATE / "article.json").read_text(encoding="utf-8"))
    facts["rewrite_rules"] = rebuild_rewrite_rules()
    return facts


# setup.sh saves the permalink structure while WordPress is installing, before the category and
# tag taxonomies exist, so the stored rewrite rules have no archive URLs: every /category/…/
# answers 404. A site set up through the admin has them; rebuild the rules the same way.
REWRITE_PHP = """
$_SERVER['WORDPRESS_CONFIG'] = getenv('WPB_CONFIG_NAME') ?: 'wpbench';
$_SERVER['HTTP_HOST'] = '%s'; $_SERVER['REQUEST_URI'] = '/';
require '/usr/share/wordpress/wp-load.php';
$before = count((array) get_option('rewrite_rules'));
flush_rewrite_rules(false);
echo json_encode(['before' => $before, 'after' => count((array) get_option('rewrite_rules'))]);
"""


def rebuild_rewrite_rules():
    """Let WordPress write its rewrite rules again; (rules before, rules after)."""
    host = urllib.parse.urlsplit(UNCACHED).netloc
    proc = subprocess.run(["php", "-d", "memory_limit=512M", "-r", REWRITE_PHP % host], capture_output=True,
                          text=True, timeout=120)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (proc.stderr or proc.stdout)[-500:]}


def page_paths(article_url):
    """(article, home, section) paths on the WordPress site; the section is the article's category archive."""
    article = urllib.parse.urlsplit(article_url).path
    html = get(UNCACHED + article).body.decode(errors="replace")
    section = None
    for href in re.findall(r'href="([^"]+)"', html):
        parts = urllib.parse.urlsplit(href)
        if parts.netloc in ("", urllib.parse.urlsplit(UNCACHED).netloc) and "/category/" in parts.path:
            section = parts.path
            break
    if section and get(UNCACHED + section).status != 200:
        section = None  # measured only when WordPress serves it
    return {"article": article, "home": "/", "section": section}


def _pid(name):
    path = STATE / "run" / name
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def server_pids():
    """nginx (its three servers), php-fpm and MariaDB: every process a WordPress page costs."""
    pids = []
    for name in ("nginx.pid", "php-fpm.pid", "mysql/mysqld.pid"):
        pid = _pid(name)
        if pid:
            pids += [pid, *support.descendants(pid)]
    return pids


def fpm_memory():
    """RSS (MiB) of each php-fpm pool process."""
    master = _pid("php-fpm.pid")
    if not master:
        return []
    return [round((support.memory_kib(pid)[0] or 0) / 1024, 1) for pid in support.descendants(master)]


def clear_fastcgi_cache():
    """Empty nginx's fastcgi_cache, as a WordPress cache plugin does on publish."""
    cache = STATE / "nginx" / "cache"
    if cache.is_dir():
        for entry in cache.iterdir():
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


def teardown(log_path):
    with open(log_path, "ab") as log:
        subprocess.run(["bash", str(WP_DIR / "teardown.sh")], stdout=log, stderr=subprocess.STDOUT, timeout=300)
