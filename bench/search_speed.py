"""Search latency and indexing rate at 100,000 articles, on SQLite (and PostgreSQL with --database-url).

The shared corpus (68,352 articles) is replicated with new ids up to --articles
(100,000 by default) and indexed through khabar.search's backend:
- bulk: ``rebuild()``, what ``khabar search reindex`` does after reading the pages;
- incremental: ``index()`` in batches of 500 on top of the full index, what the
  importer and the publish task do.
Then a fixed-seed set of reader queries (2–5 words, single common words, phrases,
exclusions, date-sorted, filtered by section) and headline-suggestion prefixes is
timed, each query once after a warm-up pass: p50/p95/max per kind.

``--site-articles N`` also imports N corpus articles as real Wagtail pages and
times ``khabar manage search_reindex`` on them (reading StreamField bodies,
tags and sections from the database, as in production).

Prints a table and JSON (bench/results/search_speed[-postgres].json).

    .venv/bin/python bench/search_speed.py                          # SQLite, 100,000 articles
    .venv/bin/python bench/search_speed.py --site-articles 20000
    .venv/bin/python bench/search_speed.py --database-url postgres://postgres@127.0.0.1:5432/khabar_bench_search
"""

import argparse
import gzip
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

SEED = 20240612
TARGET_P95_MS = 50.0
TARGET_REINDEX_RATE = 500.0
SCRATCH_PREFIX = "khabar_bench"
WORD = re.compile(r"[\u0621-\u064a]{3,}")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=600, help="search queries to time (default 600)")
    p.add_argument("--site-articles", type=int, default=0, help="also time search_reindex over N imported pages")
    p.add_argument("--database-url", default="", help=f"postgres://…/{SCRATCH_PREFIX}…: a scratch database, created and dropped")
    p.add_argument("--keep", action="store_true", help="keep the scratch data dir / database")
    return p.parse_args(argv)


# --- scratch databases ---------------------------------------------------------------
class ScratchPostgres:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        name = parts.path.lstrip("/")
        if parts.scheme not in ("postgres", "postgresql") or not name.startswith(SCRATCH_PREFIX):
            raise SystemExit(f"--database-url must be postgres://…/{SCRATCH_PREFIX}… (a scratch database)")
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--database-url must point at this machine")
        self.url, self.name = url, name
        self.admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def _run(self, sql):
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(sql)

    def create(self):
        self._run(f'DROP DATABASE IF EXISTS "{self.name}"')
        self._run(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def setup_django(data_dir, database_url):
    os.environ["KHABAR_DATA_DIR"] = data_dir
    os.environ["KHABAR_DATABASE_URL"] = database_url or f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "khabar.settings"
    os.environ["KHABAR_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def create_index_tables():
    from django.db import connection

    from khabar.search.backends import backend_class
    from khabar.search.models import SearchDocument

    with connection.schema_editor() as editor:
        editor.create_model(SearchDocument)
    with connection.cursor() as cursor:
        backend_class(connection.vendor).create_engine_objects(cursor)


# --- the collection ----------------------------------------------------------------------
def load_documents(count):
    """``count`` IndexDocuments: the corpus, then copies of it with new ids, until there are enough."""
    from khabar.news.importing import BadRecord, parse_record
    from khabar.search.backends import IndexDocument

    base = []
    with gzip.open(support.CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            try:
                record = parse_record(line)
            except BadRecord:
                continue
            base.append(record)
    sections = {}
    docs = []
    copy = 0
    while len(docs) < count:
        for record in base:
            if len(docs) == count:
                break
            section = sections.setdefault(record.section, len(sections) + 1)
            lead = record.paragraphs[0] if record.paragraphs else ""
            docs.append(
                IndexDocument(
                    page_id=len(docs) + 1,
                    section_id=section,
                    published_at=record.published,
                    title=record.title,
                    lead=" \n".join(filter(None, [record.dateline, lead])),
                    body="\n".join(record.paragraphs[1:]),
                    url=f"/{copy}/{len(docs) + 1}/",
                )
            )
        copy += 1
    return docs, sections


def make_queries(docs, sections, count, rng):
    """Reader queries by kind: words from headlines and leads, common words, phrases, exclusions, prefixes."""
    from khabar.arabic.analyze import analyze

    def words_of(text):
        return [w for w in WORD.findall(text) if analyze(w)]

    sample = rng.sample(docs, min(len(docs), count * 2))
    title_words = [w for d in sample[:2000] for w in words_of(d.title)]
    common = [w for w, _ in sorted(_counts(title_words).items(), key=lambda kv: -kv[1])[:60]]
    queries = []
    per_kind = max(1, count // 6)
    for doc in sample:
        tw, lw = words_of(doc.title), words_of(doc.lead)
        if len(tw) < 3:
            continue
        kinds_left = {k: per_kind - sum(1 for q in queries if q["kind"] == k)
                      for k in ("words", "common-word", "phrase", "exclusion", "date-sorted", "in-section")}
        if all(v <= 0 for v in kinds_left.values()):
            break
        kind = rng.choice([k for k, v in kinds_left.items() if v > 0])
        if kind == "words":
            n = rng.randint(2, 5)
            text = " ".join(rng.sample(tw, min(len(tw), n - 1)) + rng.sample(lw, min(len(lw), 1)))
            queries.append({"kind": kind, "text": text, "options": {}})
        elif kind == "common-word":
            queries.append({"kind": kind, "text": rng.choice(common), "options": {}})
        elif kind == "phrase":
            at = rng.randrange(len(tw) - 1)
            queries.append({"kind": kind, "text": f'"{tw[at]} {tw[at + 1]}"', "options": {}})
        elif kind == "exclusion":
            queries.append({"kind": kind, "text": f"{tw[0]} {tw[1]} -{rng.choice(common)}", "options": {}})
        elif kind == "date-sorted":
            queries.append({"kind": kind, "text": " ".join(tw[:2]), "options": {"order": "date"}})
        else:
            queries.append({"kind": kind, "text": " ".join(tw[:2]), "options": {"section_id": doc.section_id}})
    prefixes = []
    for doc in sample[: count // 2]:
        tw = words_of(doc.title)
        if not tw:
            continue
        if len(tw) > 1 and rng.random() < 0.5:
            prefixes.append(f"{tw[0]} {tw[1][: rng.randint(2, len(tw[1]))]}")
        else:
            prefixes.append(tw[0][: rng.randint(2, len(tw[0]))])
    return queries, prefixes


def _counts(items):
    counts = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def timings(values):
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 0.5), 2), "p95_ms": round(percentile(ms, 0.95), 2),
            "max_ms": round(max(ms), 2), "mean_ms": round(statistics.fmean(ms), 2)}


# --- measuring ------------------------------------------------------------------------------
def measure_index(docs):
    from django.db import connection, transaction

    from khabar.search.backends import get_backend

    backend = get_backend()
    bulk_docs, extra = docs[:-2000], docs[-2000:]
    progress_marks = []
    started = time.perf_counter()

    def progress(done):
        if done % 20000 < 1000:
            progress_marks.append((done, time.perf_counter() - started))
            print(f"  indexed {done:,} ({done / (time.perf_counter() - started):,.0f}/s)", flush=True)

    backend.rebuild((bulk_docs[i:i + 1000] for i in range(0, len(bulk_docs), 1000)), progress=progress)
    bulk_s = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(0, len(extra), 500):
        with transaction.atomic():
            backend.index(extra[i:i + 500])
    incremental_s = time.perf_counter() - started
    size = None
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            size = pages * cursor.fetchone()[0]
        else:
            cursor.execute("SELECT pg_total_relation_size('khabar_search_document')")
            size = cursor.fetchone()[0]
    return {
        "bulk_articles": len(bulk_docs),
        "bulk_s": round(bulk_s, 1),
        "bulk_rate": round(len(bulk_docs) / bulk_s, 1),
        "incremental_articles": len(extra),
        "incremental_rate": round(len(extra) / incremental_s, 1),
        "index_mib": round(size / 2**20, 1) if size else None,
    }


def measure_queries(queries, prefixes):
    from khabar.search.backends import get_backend
    from khabar.search.query import parse_query

    backend = get_backend()
    for query in queries[:50]:  # warm the page cache
        backend.search(parse_query(query["text"]), **query["options"])
    by_kind, totals, relaxed, empty = {}, [], 0, 0
    for query in queries:
        started = time.perf_counter()
        result = backend.search(parse_query(query["text"]), limit=10, **query["options"])
        elapsed = time.perf_counter() - started
        by_kind.setdefault(query["kind"], []).append(elapsed)
        totals.append(elapsed)
        relaxed += result.relaxed
        empty += not result.total
    suggest = []
    for prefix in prefixes:
        started = time.perf_counter()
        backend.suggest(prefix)
        suggest.append(time.perf_counter() - started)
    out = {kind: timings(values) for kind, values in by_kind.items()}
    out["all-searches"] = timings(totals)
    out["suggest"] = timings(suggest)
    out["searches_relaxed_to_any_word"] = relaxed
    out["searches_without_results"] = empty
    return out


def measure_site_reindex(data_dir, database_url, count):
    """Import ``count`` corpus articles as pages, then time ``khabar manage search_reindex`` on them."""
    env = dict(os.environ, KHABAR_DATA_DIR=data_dir, KHABAR_DATABASE_URL=database_url or f"sqlite:///{data_dir}/site.sqlite3",
               KHABAR_TASKS_BACKEND="immediate", KHABAR_LOG_LEVEL="WARNING")
    khabar = support.khabar_command()
    subprocess.run([*khabar, "manage", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*khabar, "import-articles", str(support.CORPUS), "--limit", str(count)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    done = subprocess.run([*khabar, "manage", "search_reindex"], env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    summary = done.stdout.strip().splitlines()[-1]
    match = re.search(r"rebuilt: ([\d,]+) articles in ([\d.]+) s \(([\d,]+) articles/s\)", summary)
    articles = int(match.group(1).replace(",", ""))
    return {"articles": articles, "command_rate": float(match.group(3).replace(",", "")),
            "wall_s": round(wall, 1), "wall_rate": round(articles / wall, 1), "summary": summary}


def main(argv=None):
    args = parse_args(argv)
    support.skip_without_corpus()
    started = time.monotonic()
    scratch = ScratchPostgres(args.database_url) if args.database_url else None
    data_dir = tempfile.mkdtemp(prefix="khabar-search-speed-")
    try:
        if scratch:
            scratch.create()
        setup_django(data_dir, args.database_url)
        create_index_tables()
        from django.db import connection

        vendor = connection.vendor
        rng = random.Random(SEED)
        print(f"loading {args.articles:,} articles…", flush=True)
        docs, sections = load_documents(args.articles)
        queries, prefixes = make_queries(docs, sections, args.queries, rng)
        print(f"indexing on {vendor}…", flush=True)
        index = measure_index(docs)
        del docs
        print("querying…", flush=True)
        latency = measure_queries(queries, prefixes)
        site = None
        if args.site_articles:
            print(f"importing {args.site_articles:,} pages and timing search_reindex…", flush=True)
            site_url = ""
            if scratch:
                site_scratch = ScratchPostgres(args.database_url + "_site")
                site_scratch.create()
                site_url = site_scratch.url
            try:
                site = measure_site_reindex(tempfile.mkdtemp(prefix="khabar-search-site-"), site_url, args.site_articles)
            finally:
                if scratch and not args.keep:
                    site_scratch.drop()
    finally:
        if scratch and not args.keep:
            from django.db import connections

            connections.close_all()
            scratch.drop()
        if not args.keep:
            import shutil

            shutil.rmtree(data_dir, ignore_errors=True)

    rows = [[kind, v["n"], v["p50_ms"], v["p95_ms"], v["max_ms"]] for kind, v in latency.items() if isinstance(v, dict)]
    print()
    print(f"Query latency on {vendor}, {args.articles:,} articles (ms)")
    print(support.render_table(["kind", "n", "p50", "p95", "max"], rows))
    print()
    print(f"bulk index (reindex path): {index['bulk_rate']:,.0f} articles/s over {index['bulk_articles']:,} "
          f"({index['bulk_s']} s); incremental (publish/import path): {index['incremental_rate']:,.0f} articles/s; "
          f"index size {index['index_mib']} MiB")
    if site:
        print(f"khabar manage search_reindex over {site['articles']:,} real pages: {site['command_rate']:,.0f} articles/s")
    p95 = latency["all-searches"]["p95_ms"]
    reindex_rate = site["command_rate"] if site else index["bulk_rate"]
    print(f"\ntargets: p95 {p95} ms (≤ {TARGET_P95_MS} on SQLite), reindex {reindex_rate:,.0f} articles/s (≥ {TARGET_REINDEX_RATE})")
    support.write_results(
        "search_speed" + ("-postgres" if vendor == "postgresql" else ""),
        {
            "benchmark": "search_speed",
            "machine": support.machine_facts(),
            "settings": {"articles": args.articles, "database": vendor, "queries": len(queries), "prefixes": len(prefixes),
                         "seed": SEED},
            "targets": {
                "p95_ms": {"value": p95, "target": TARGET_P95_MS, "met": p95 <= TARGET_P95_MS},
                "reindex_rate": {"value": reindex_rate, "target": TARGET_REINDEX_RATE, "met": reindex_rate >= TARGET_REINDEX_RATE},
            },
            "index": index,
            "latency": latency,
            "site_reindex": site,
            "seconds": round(time.monotonic() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
