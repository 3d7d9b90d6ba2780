"""Import rate of ``khabar import-articles`` on the shared corpus, then a re-run that must skip everything.

A fresh data dir (and, with ``--database-url``, a scratch PostgreSQL database that is
created first and dropped at the end) gets the schema from ``khabar manage migrate``;
the import is then timed on its own. Reported: articles/s by the importer's clock and
by the wall clock of the whole command (Python and Django start-up included), peak RSS
and CPU time of the importing process (from wait4's rusage), the database's size, and
how the rate changes as the tables grow. Prints a table and a JSON object (also
bench/results/import_articles[-postgres].json).

    .venv/bin/python bench/import_articles.py                     # 50,000 articles, SQLite
    .venv/bin/python bench/import_articles.py --articles 20000 \\
        --database-url postgres://postgres@127.0.0.1:5432/khabar_bench
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

SCRATCH_PREFIX = "khabar_bench"
SUMMARY = re.compile(
    r"(\d+) articles created, (\d+) already present, (\d+) bad lines, in ([\d.]+) s \((\d+) articles/s\)"
)
PROGRESS = re.compile(r"line ([\d,]+): ([\d,]+) created, ([\d,]+) skipped")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=50000, help="corpus lines to import (default 50000)")
    p.add_argument("--database-url", default="",
                   help=f"postgres://user@127.0.0.1:5432/{SCRATCH_PREFIX}: a scratch database, created and dropped")
    p.add_argument("--batch-size", type=int, default=0, help="pass --batch-size to the importer (default: its own)")
    p.add_argument("--no-rerun", action="store_true", help="skip the second, all-skipped run")
    p.add_argument("--budget", type=float, default=3600, help="stop the whole benchmark after this many seconds")
    p.add_argument("--keep", action="store_true", help="keep the data dir and the scratch database")
    return p.parse_args(argv)


# --- the scratch PostgreSQL database ---------------------------------------------
class ScratchDatabase:
    """Creates the database a URL names, and drops it; refuses any name not starting with khabar_bench."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise SystemExit(f"--database-url must be a postgres:// URL, not {parts.scheme}://")
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--database-url must point at 127.0.0.1: benchmarks load this machine only")
        self.url = url
        self.name = parts.path.lstrip("/")
        if not re.fullmatch(SCRATCH_PREFIX + r"[a-z0-9_]*", self.name):
            raise SystemExit(f"refusing to create and drop {self.name!r}: name a scratch database {SCRATCH_PREFIX}…")
        self.maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.created = False

    def _execute(self, sql, fetch=False):
        try:
            import psycopg
        except ImportError:
            out = subprocess.run(["psql", self.maintenance, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                 capture_output=True, text=True, timeout=120)
            if out.returncode != 0:
                raise RuntimeError(f"psql: {out.stderr.strip()}")
            return out.stdout.strip() if fetch else None
        with psycopg.connect(self.maintenance, autocommit=True, connect_timeout=10) as conn:
            row = conn.execute(sql).fetchone() if fetch else conn.execute(sql)
            return row[0] if fetch and row else None

    def create(self):
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._execute(f"CREATE DATABASE \"{self.name}\" ENCODING 'UTF8' TEMPLATE template0")
        self.created = True

    def size_bytes(self):
        return int(self._execute(f"SELECT pg_database_size('{self.name}')", fetch=True))

    def article_count(self):
        try:
            import psycopg
        except ImportError:
            return None
        with psycopg.connect(self.url, connect_timeout=10) as conn:
            return conn.execute("SELECT count(*) FROM news_articlepage").fetchone()[0]

    def server_version(self):
        return self._execute("SHOW server_version", fetch=True)

    def drop(self):
        if self.created:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False


# --- one timed import ----------------------------------------------------------------
def timed_import(cmd, env, workdir, label, budget, wanted):
    """Run the importer; wall time, rusage of that process, its summary line and progress samples."""
    out_path, err_path = workdir / f"{label}.out", workdir / f"{label}.err"
    busy_before = support.system_busy_seconds()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, start_new_session=True)
    deadline = started + budget.timeout(wanted)
    samples, last_print, usage, status = [], started, None, None
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            now = time.monotonic()
            created = last_progress(err_path)
            if created is not None and (not samples or samples[-1][1] != created):
                samples.append((now - started, created))
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                break
            if now > deadline:
                raise support.OutOfTime(f"{label}: import still running after {wanted:.0f} s")
            if now - last_print >= 15:
                print(f"  {label}: {now - started:5.0f} s, {created or 0:,} created", flush=True)
                last_print = now
            time.sleep(0.25)
    finally:
        if proc.returncode is None:
            os.killpg(proc.pid, 9)
            os.waitpid(proc.pid, 0)
    wall = time.monotonic() - started
    other_cpu = support.system_busy_seconds() - busy_before - usage.ru_utime - usage.ru_stime
    output = out_path.read_text(errors="replace")
    match = SUMMARY.search(output)
    if proc.returncode != 0 or not match:
        errors = err_path.read_text(errors="replace").replace("\r", "\n").splitlines()[-20:]
        raise RuntimeError(f"{label}: import failed ({proc.returncode}):\n" + output + "\n".join(errors))
    created, skipped, bad, seconds, _ = match.groups()
    return {
        "created": int(created), "skipped": int(skipped), "bad_lines": int(bad),
        "importer_s": float(seconds),
        "articles_per_s": round(int(created) / float(seconds), 1) if float(seconds) else None,
        "wall_s": round(wall, 2),
        "articles_per_s_wall": round(int(created) / wall, 1) if wall else None,
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "cpu_user_s": round(usage.ru_utime, 2), "cpu_system_s": round(usage.ru_stime, 2),
        "cpu_share_of_wall": round((usage.ru_utime + usage.ru_stime) / wall, 2) if wall else None,
        # CPU used meanwhile by everything else (the database server included): load on a shared machine.
        "other_cpu_s": round(max(other_cpu, 0.0), 1),
        "summary": match.group(0),
    }, samples


def last_progress(path):
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 300))
            text = f.read().decode(errors="replace")
    except OSError:
        return None
    found = PROGRESS.findall(text)
    return int(found[-1][1].replace(",", "")) if found else None


def rate_by_fifth(samples, total):
    """Articles/s in each fifth of the import, from (seconds, created) samples: does it slow as tables grow?"""
    if total < 5 or len(samples) < 6:
        return []
    rates, points = [], [(0.0, 0)] + samples
    for k in range(1, 6):
        lo, hi = total * (k - 1) / 5, total * k / 5
        start = min(points, key=lambda p: abs(p[1] - lo))
        end = min(points, key=lambda p: abs(p[1] - hi))
        if end[0] > start[0] and end[1] > start[1]:
            rates.append(round((end[1] - start[1]) / (end[0] - start[0]), 1))
    return rates


def sqlite_facts(data_dir):
    db = data_dir / "khabar.sqlite3"
    size = sum(p.stat().st_size for p in data_dir.glob("khabar.sqlite3*"))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        count = conn.execute("SELECT count(*) FROM news_articlepage").fetchone()[0]
    return size, count


def main(argv=None):
    args = parse_args(argv)
    support.skip_without_corpus()
    support.terminate_as_interrupt()
    budget = support.Budget(args.budget)
    scratch = ScratchDatabase(args.database_url) if args.database_url else None
    engine = "postgresql" if scratch else "sqlite"
    name = "import_articles" + ("-postgres" if scratch else "")
    tmp = Path(tempfile.mkdtemp(prefix="khabar-bench-import-"))
    data_dir = tmp / "data"
    env = dict(os.environ, KHABAR_DATA_DIR=str(data_dir))
    for var in ("KHABAR_DATABASE_URL", "KHABAR_REDIS_URL"):
        env.pop(var, None)
    if scratch:
        env["KHABAR_DATABASE_URL"] = scratch.url
    khabar = support.khabar_command()
    cmd = [*khabar, "import-articles", str(support.CORPUS), "--limit", str(args.articles)]
    if args.batch_size:
        # The `khabar import-articles` wrapper has no --batch-size: call the management command.
        cmd = [*khabar, "manage", "import_articles", str(support.CORPUS), "--limit", str(args.articles),
               "--batch-size", str(args.batch_size)]
    result = {
        "benchmark": name,
        "machine": support.machine_facts(),
        "settings": {"articles": args.articles, "database": engine, "corpus": str(support.CORPUS),
                     "command": " ".join(cmd[1:]), "batch_size": args.batch_size or "importer default"},
    }
    print(f"khabar import benchmark: {args.articles:,} articles into {engine}; temp dir {tmp}", flush=True)
    try:
        if scratch:
            scratch.create()
            result["machine"]["postgresql"] = scratch.server_version()
        started = time.monotonic()
        migrate = subprocess.run([*khabar, "manage", "migrate", "--verbosity", "0"], env=env,
                                 capture_output=True, text=True, timeout=budget.timeout(600))
        if migrate.returncode != 0:
            raise RuntimeError(f"migrate failed:\n{migrate.stderr[-3000:]}")
        result["migrate_s"] = round(time.monotonic() - started, 1)

        runs = []
        print("first import …", flush=True)
        first, samples = timed_import(cmd, env, tmp, "first", budget, budget.left())
        first["run"] = "first import"
        first["rate_by_fifth"] = rate_by_fifth(samples, first["created"])
        runs.append(first)
        if scratch:
            first["db_bytes"], first["articles_in_db"] = scratch.size_bytes(), scratch.article_count()
        else:
            first["db_bytes"], first["articles_in_db"] = sqlite_facts(data_dir)

        if not args.no_rerun:
            print("re-run of the same import (should skip everything) …", flush=True)
            again, _ = timed_import(cmd, env, tmp, "rerun", budget, budget.left())
            again["run"] = "re-run"
            again["db_bytes"] = scratch.size_bytes() if scratch else sqlite_facts(data_dir)[0]
            runs.append(again)
            again["skipped_everything"] = again["created"] == 0 and again["skipped"] == first["created"]

        result["runs"] = runs
        print_report(result)
        result["seconds"] = round(budget.elapsed(), 1)
        support.write_results(name, result)
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except (support.OutOfTime, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {tmp}" + (f" and database {scratch.name}" if scratch else ""))
        else:
            if scratch:
                try:
                    scratch.drop()
                except Exception as error:
                    print(f"warning: could not drop {scratch.name}: {error}", file=sys.stderr)
            shutil.rmtree(tmp, ignore_errors=True)


def print_report(result):
    s, m = result["settings"], result["machine"]
    db = s["database"] + (f" {m['postgresql']}" if "postgresql" in m else f" {m['sqlite']}")
    print()
    print(f"khabar import-articles, {s['articles']:,} corpus lines into {db}; nproc {m['nproc']}, "
          f"Python {m['python']}; migrate took {result['migrate_s']} s (not counted)")
    rows = []
    for r in result["runs"]:
        rows.append([
            r["run"], f"{r['created']:,}", f"{r['skipped']:,}", f"{r['importer_s']:.1f}", f"{r['wall_s']:.1f}",
            f"{r['articles_per_s']:,.0f}" if r["created"] else "-",
            f"{r['articles_per_s_wall']:,.0f}" if r["created"] else "-",
            f"{r['peak_rss_mib']:.0f}", f"{r['cpu_user_s'] + r['cpu_system_s']:.1f}", f"{r['other_cpu_s']:.1f}",
            f"{r['db_bytes'] / 2**20:,.1f}",
        ])
    print(support.render_table(
        ["run", "created", "skipped", "importer s", "wall s", "articles/s", "articles/s (wall)",
         "peak RSS MiB", "CPU s", "other CPU s", "DB MiB"], rows))
    print("CPU s = the importing process's user+system time; other CPU s = everything else meanwhile "
          "(database server, other load).")
    first = result["runs"][0]
    if first.get("rate_by_fifth"):
        print("articles/s in each fifth of the first import: " + " → ".join(f"{r:,.0f}" for r in first["rate_by_fifth"]))
    if len(result["runs"]) > 1:
        print("re-run skipped everything: " + ("yes" if result["runs"][1]["skipped_everything"] else "NO"))
    print()


if __name__ == "__main__":
    sys.exit(main())
