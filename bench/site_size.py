"""Does a page cost the same at 100,000 articles as at 1,000? (issue 8: "cost flat with size").

For each size, a throwaway site (KHABAR_DATA_DIR under /tmp, SQLite) gets that many corpus
articles (the shared corpus cycled: a cycle's copies get new ids and dates two years earlier per
cycle), then bench/_page_costs.py renders every public page in one process, page cache off, and
reports CPU ms per request and SQL queries, with the shared fragments on (a miss as readers meet
it) and off (a miss right after a purge). The table gives each page's cost at every size and the
ratio of the largest to the smallest; the issue's target is within 1.5x. The search rows are the
search page itself (target <= 15 ms at 100k).

    .venv/bin/python bench/site_size.py                       # 1,000 and 100,000 articles
    .venv/bin/python bench/site_size.py --sizes 1000,20000 --keep
    .venv/bin/python bench/site_size.py --reuse /tmp/khabar-size-100000   # a site kept earlier

Prints a table and JSON (bench/results/site_size.json). CPU time, not wall time: it is what a page
costs a worker, and it holds up better than latency on a machine that is busy with other work.
"""

import argparse
import datetime
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

HERE = Path(__file__).resolve().parent


def corpus_lines():
    with gzip.open(support.CORPUS, "rt", encoding="utf-8") as corpus:
        return sum(1 for _ in corpus)


def cycled_corpus(path, count):
    """Write ``count`` corpus lines to ``path``. Fewer than the corpus holds: spread evenly over it, so
    a small site has the same sections, sources and years as a big one (the corpus file is ordered by
    source). More: the corpus cycled, each later cycle new articles two years earlier."""
    total = corpus_lines()
    written = 0
    cycle = 0
    with gzip.open(path, "wt", encoding="utf-8") as out:
        while written < count:
            with gzip.open(support.CORPUS, "rt", encoding="utf-8") as corpus:
                for position, line in enumerate(corpus):
                    if count < total and (position * count) // total == ((position + 1) * count) // total:
                        continue  # not one of the evenly spread lines
                    record = json.loads(line)
                    if cycle:
                        record["id"] = f"{record['id']}~{cycle}"
                        published = datetime.datetime.fromisoformat(record["published"])
                        record["published"] = (published - datetime.timedelta(days=730 * cycle)).isoformat()
                        record.pop("url", None)
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    written += 1
                    if written >= count:
                        break
            cycle += 1


def build_site(size, keep):
    data_dir = Path(tempfile.mkdtemp(prefix=f"khabar-size-{size}-"))
    env = {**os.environ, "KHABAR_DATA_DIR": str(data_dir), "KHABAR_TASKS_BACKEND": "immediate"}
    khabar = support.khabar_command()
    corpus = data_dir / "corpus.jsonl.gz"
    cycled_corpus(corpus, size)
    started = time.monotonic()
    subprocess.run([*khabar, "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run([*khabar, "import-articles", str(corpus), "--limit", str(size)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*khabar, "manage", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, str(HERE / "_khabar_actions.py"), "prepare-article"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    corpus.unlink()
    print(f"  {size:,} articles imported in {time.monotonic() - started:.0f} s into {data_dir}"
          + (" (kept)" if keep else ""), flush=True)
    return data_dir


def measure(data_dir, rounds, per_round):
    env = {**os.environ, "KHABAR_DATA_DIR": str(data_dir), "KHABAR_TASKS_BACKEND": "immediate"}
    # A kept site may predate the code's newest migrations.
    subprocess.run([*support.khabar_command(), "manage", "migrate", "-v0"], env=env, check=True)
    out = subprocess.run([sys.executable, str(HERE / "_page_costs.py"), str(rounds), str(per_round)],
                         env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def article_count(data_dir):
    import sqlite3

    with sqlite3.connect(data_dir / "khabar.sqlite3") as db:
        return db.execute("select count(*) from news_articlepage").fetchone()[0]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,100000", help="article counts, comma separated")
    p.add_argument("--reuse", action="append", default=[], help="a site kept by an earlier run (its dir)")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--per-round", type=int, default=10)
    p.add_argument("--keep", action="store_true", help="keep the sites (their paths are printed)")
    args = p.parse_args(argv)
    support.skip_without_corpus()

    sites = {article_count(Path(d)): Path(d) for d in args.reuse}
    for size in (int(s) for s in args.sizes.split(",") if s):
        if size not in sites:
            print(f"building a site of {size:,} articles …", flush=True)
            sites[size] = build_site(size, args.keep or bool(args.reuse))
    results = {}
    for size in sorted(sites):
        print(f"measuring {size:,} …", flush=True)
        results[size] = measure(sites[size], args.rounds, args.per_round)
        if not args.keep and str(sites[size]) not in args.reuse:
            subprocess.run(["rm", "-rf", str(sites[size])])

    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    rows = []
    for mode in ("fragments", "no_fragments"):
        for page in results[small][mode]:
            costs = [results[s][mode].get(page, {}) for s in sizes]
            ratio = costs[-1]["cpu_ms"] / costs[0]["cpu_ms"] if costs[0] and costs[-1] else float("nan")
            rows.append([mode, page, *(f"{c.get('cpu_ms', '-')} ms / {c.get('queries', '-')} q" for c in costs),
                         f"{ratio:.2f}x"])
    print()
    print(support.render_table(["fragments", "page", *(f"{s:,} articles" for s in sizes), f"{large:,} / {small:,}"],
                               rows, align="ll" + "r" * (len(sizes) + 1)))
    support.write_results("site_size", {"machine": support.machine_facts(), "sizes": sizes,
                                        "results": {str(s): results[s] for s in sizes}}, echo=False)


if __name__ == "__main__":
    main()
