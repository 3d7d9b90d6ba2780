"""Known-item search quality on the shared Arabic corpus: does the reader's query find the article they mean?

A fixed-seed sample of the corpus (10,000 articles by default) is indexed; a few
hundred of them are targets. For each target the benchmark types queries the
way readers do: the exact headline, and 3–5 content words from its title and
lead, clean and with one realistic variation each:

    hamza        أ إ آ typed as ا                 teh-marbuta  ة typed as ه
    yeh          ى and final ي swapped            tashkeel     harakat added
    tatweel      ـ stretching a word              clitic       و ب ال لل added or dropped
    number       singular/plural endings (ة↔ات, ون↔ين)
    mixed        two or three of the above at once

It reports MRR@10 and recall@10 per query kind for each engine:
- khabar: khabar.search's SQLite backend (folded surface + light stem), as shipped;
- khabar-and, khabar-or: the same, with words combined by AND only / OR only;
- khabar-nostem: the same index without stemming (folded surface only);
- snowball: the same index with Snowball's Arabic stemmer (PyStemmer) in place of khabar's;
- fts5-raw: a stock FTS5 unicode61 index over the raw text, words ANDed: the floor.

Prints a table and JSON (bench/results/search_quality.json).

    .venv/bin/pip install PyStemmer     # optional: adds the Snowball row
    .venv/bin/python bench/search_quality.py [--articles 10000] [--targets 400]
"""

import argparse
import gzip
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

SEED = 20240611
TARGET_MRR_VARIANTS = 0.95
TARGET_MRR_EXACT_TITLE = 0.98
KINDS = ("exact-title", "clean", "hamza", "teh-marbuta", "yeh", "tashkeel", "tatweel", "clitic", "number", "mixed")
VARIANT_KINDS = KINDS[2:]

ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
WORD = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+")
HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0652")  # fatha, damma, kasra, sukun
SHADDA = "\u0651"
TATWEEL = "\u0640"
# Letters that join to the next one: tatweel can only stretch after these.
JOINING = set("بتثجحخسشصضطظعغفقكلمنهيئ")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=10000, help="articles in the collection (default 10000)")
    p.add_argument("--targets", type=int, default=400, help="known items to look for (default 400)")
    p.add_argument("--engines", default="", help="comma-separated subset of engines to run")
    return p.parse_args(argv)


# --- Django, on a scratch SQLite database ------------------------------------------
def setup_django(data_dir):
    os.environ["KHABAR_DATA_DIR"] = data_dir
    os.environ["KHABAR_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "khabar.settings"
    os.environ.setdefault("KHABAR_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    from khabar.search.backends import backend_class
    from khabar.search.models import SearchDocument

    with connection.schema_editor() as editor:
        editor.create_model(SearchDocument)
    with connection.cursor() as cursor:
        backend_class(connection.vendor).create_engine_objects(cursor)


# --- the collection and the targets ---------------------------------------------------
def load_collection(size, rng):
    """``size`` corpus records, a fixed-seed sample, as dicts with title / lead / body / published."""
    from khabar.news.importing import BadRecord, parse_record

    with gzip.open(support.CORPUS, "rt", encoding="utf-8") as lines:
        all_lines = lines.readlines()
    chosen = sorted(rng.sample(range(len(all_lines)), min(size, len(all_lines))))
    records = []
    for n, index in enumerate(chosen, start=1):
        try:
            record = parse_record(all_lines[index])
        except BadRecord:
            continue
        lead = record.paragraphs[0] if record.paragraphs else ""
        records.append(
            {
                "page_id": n,
                "title": record.title,
                "lead": " \n".join(filter(None, [record.dateline, lead])),
                "body": "\n".join(record.paragraphs[1:]),
                "published": record.published,
                "section": record.section,
            }
        )
    return records


def content_words(text, analyzer):
    """Words of ``text`` as written that a reader would type: letters only, 3+ letters, not stopwords."""
    words = []
    for word in WORD.findall(text):
        bare = word.replace(TATWEEL, "")
        if len(bare) >= 3 and analyzer.analyze(bare) and bare not in words:
            words.append(bare)
    return words


def pick_targets(records, count, rng, analyzer):
    from khabar.arabic import fold_for_search

    titles = {}
    for record in records:
        key = " ".join(fold_for_search(record["title"]).split())
        titles[key] = titles.get(key, 0) + 1
    candidates = [
        r for r in records
        if titles[" ".join(fold_for_search(r["title"]).split())] == 1
        and len(content_words(r["title"], analyzer)) >= 3
        and len(ARABIC_LETTER.findall(r["title"])) > 10
    ]
    return rng.sample(candidates, min(count, len(candidates)))


# --- the reader's variations ------------------------------------------------------------
def drop_hamza(word, rng):
    return word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")


def heh_for_teh_marbuta(word, rng):
    return word[:-1] + "ه" if word.endswith("ة") else word


def swap_yeh(word, rng):
    if word.endswith("ى"):
        return word[:-1] + "ي"
    if word.endswith("ي"):
        return word[:-1] + "ى"
    return word


def add_tashkeel(word, rng):
    out = []
    for index, char in enumerate(word):
        out.append(char)
        if ARABIC_LETTER.match(char) and char not in "اوىء" and rng.random() < 0.7:
            if index and rng.random() < 0.1:
                out.append(SHADDA)
            out.append(rng.choice(HARAKAT))
    return "".join(out)


def add_tatweel(word, rng):
    spots = [i for i in range(1, len(word) - 1) if word[i - 1] in JOINING or word[i] in JOINING]
    spots = [i for i in spots if word[i - 1] in JOINING]
    if not spots:
        return word
    at = rng.choice(spots)
    return word[:at] + TATWEEL * rng.randint(1, 3) + word[at:]


def change_clitic(word, rng):
    """و ب ال لل added or dropped, spelled as a reader writes them (ل + ال → لل, ل + اللجنة → للجنة)."""
    if word.startswith(("وال", "بال", "فال", "كال")) and len(word) > 5:
        return rng.choice([word[1:], word[3:]])  # drop the conjunction/preposition, or the article too
    if word.startswith("لل") and len(word) > 4:
        return "ال" + word[2:] if rng.random() < 0.5 else word[2:]
    if word.startswith("ال") and len(word) > 4:
        return rng.choice([word[2:], "و" + word, "ب" + word, for_the(word[2:])])
    return rng.choice(["ال" + word, "و" + word, "ب" + word, for_the(word)])


def for_the(word):
    """ل + ال + word as Arabic writes it: "للحكومة", but "للجنة" (the lams of لجنة merge)."""
    return "ل" + word if word.startswith("ل") else "لل" + word


def change_number(word, rng):
    """Sound singular/plural endings: ة ↔ ات, ون ↔ ين, ة/ات added to a bare masculine."""
    if word.endswith("ات") and len(word) > 4:
        return word[:-2] + "ة"
    if word.endswith("ة") and len(word) > 3:
        return word[:-1] + "ات"
    if word.endswith("ون") and len(word) > 4:
        return word[:-2] + "ين"
    if word.endswith("ين") and len(word) > 4:
        return word[:-2] + "ون"
    return word


VARIATIONS = {
    "hamza": drop_hamza,
    "teh-marbuta": heh_for_teh_marbuta,
    "yeh": swap_yeh,
    "tashkeel": add_tashkeel,
    "tatweel": add_tatweel,
    "clitic": change_clitic,
    "number": change_number,
}


def vary(words, kind, rng):
    """``words`` with variation ``kind`` applied where it can be; None when nothing changed."""
    if kind == "mixed":
        out = list(words)
        for name in rng.sample(sorted(VARIATIONS), 3):
            out = vary(out, name, rng) or out
        return out if out != words else None
    change = VARIATIONS[kind]
    spots = [i for i, w in enumerate(words) if change(w, random.Random(0)) != w]
    if not spots:
        return None
    out = list(words)
    # One or two words varied (all of them for the spelling habits a reader has throughout).
    chosen = spots if kind in ("hamza", "teh-marbuta", "tashkeel") else rng.sample(spots, min(len(spots), rng.choice([1, 2])))
    for i in chosen:
        out[i] = change(out[i], rng)
    return out


def make_queries(targets, rng, analyzer):
    queries = []
    for target in targets:
        title_words = content_words(target["title"], analyzer)
        lead_words = [w for w in content_words(target["lead"], analyzer) if w not in title_words]
        n = rng.choice([3, 4, 5])
        from_title = min(len(title_words), n - 1 if lead_words else n)
        picked_title = sorted(rng.sample(range(len(title_words)), from_title))
        picked_lead = sorted(rng.sample(range(len(lead_words)), min(len(lead_words), n - from_title)))
        words = [title_words[i] for i in picked_title] + [lead_words[i] for i in picked_lead]
        queries.append({"target": target["page_id"], "kind": "exact-title", "text": target["title"]})
        queries.append({"target": target["page_id"], "kind": "clean", "text": " ".join(words)})
        for kind in VARIANT_KINDS:
            varied = vary(words, kind, rng)
            if varied:
                queries.append({"target": target["page_id"], "kind": kind, "text": " ".join(varied)})
    return queries


# --- engines -------------------------------------------------------------------------------
class KhabarEngine:
    def __init__(self, name, analyzer, match_mode=None):
        from khabar.search.backends import get_backend

        options = {"analyzer": analyzer}
        if match_mode:
            options["match_mode"] = match_mode
        self.name = name
        self.backend = get_backend(**options)

    def index(self, records):
        from khabar.search.backends import IndexDocument

        docs = [
            IndexDocument(r["page_id"], hash(r["section"]) % 1000, r["published"], r["title"], r["lead"], r["body"])
            for r in records
        ]
        batches = (docs[i:i + 1000] for i in range(0, len(docs), 1000))
        self.backend.rebuild(batches)

    def search(self, text):
        from khabar.search.query import parse_query

        return [hit.page_id for hit in self.backend.search(parse_query(text, self.backend.analyzer), limit=10).hits]


class StockFTS5Engine:
    """What a site gets from FTS5 with no Arabic analysis: unicode61 over the raw text, words ANDed."""

    name = "fts5-raw"

    def __init__(self):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, lead, body, tokenize='unicode61 remove_diacritics 2')"
        )

    def index(self, records):
        self.db.executemany(
            "INSERT INTO docs(rowid, title, lead, body) VALUES (?, ?, ?, ?)",
            [(r["page_id"], r["title"], r["lead"], r["body"]) for r in records],
        )

    def search(self, text):
        words = [w for w in re.split(r"\s+", text) if w]
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        try:
            rows = self.db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", [match])
            return [row[0] for row in rows]
        except sqlite3.OperationalError:
            return []


def build_engines(selected):
    from khabar.arabic.analyze import DEFAULT_ANALYZER, Analyzer

    engines = [
        ("khabar", lambda: KhabarEngine("khabar", DEFAULT_ANALYZER)),
        ("khabar-and", lambda: KhabarEngine("khabar-and", DEFAULT_ANALYZER, "and")),
        ("khabar-or", lambda: KhabarEngine("khabar-or", DEFAULT_ANALYZER, "or")),
        ("khabar-nostem", lambda: KhabarEngine("khabar-nostem", Analyzer(stemmer=None))),
    ]
    try:
        import Stemmer

        snowball = Stemmer.Stemmer("arabic")
        engines.append(("snowball", lambda: KhabarEngine("snowball", Analyzer(stemmer=snowball.stemWord))))
    except ImportError:
        print("PyStemmer is not installed: no Snowball row (.venv/bin/pip install PyStemmer)")
    engines.append(("fts5-raw", StockFTS5Engine))
    return [(name, make) for name, make in engines if not selected or name in selected]


# --- measuring ---------------------------------------------------------------------------
def evaluate(engine, queries):
    per_kind = {}
    latencies = []
    for query in queries:
        started = time.perf_counter()
        ranked = engine.search(query["text"])
        latencies.append(time.perf_counter() - started)
        rank = ranked.index(query["target"]) + 1 if query["target"] in ranked else None
        stats = per_kind.setdefault(query["kind"], {"n": 0, "rr": 0.0, "found": 0})
        stats["n"] += 1
        stats["rr"] += 1 / rank if rank else 0.0
        stats["found"] += 1 if rank else 0
    summary = {}
    for kind, stats in per_kind.items():
        summary[kind] = {"n": stats["n"], "mrr10": stats["rr"] / stats["n"], "recall10": stats["found"] / stats["n"]}
    variants = [per_kind[k] for k in VARIANT_KINDS if k in per_kind]
    n = sum(s["n"] for s in variants)
    summary["all-variants"] = {
        "n": n,
        "mrr10": sum(s["rr"] for s in variants) / n if n else 0.0,
        "recall10": sum(s["found"] for s in variants) / n if n else 0.0,
    }
    latencies.sort()
    summary["latency_ms"] = {
        "mean": 1000 * sum(latencies) / len(latencies),
        "p95": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }
    return summary


def main(argv=None):
    args = parse_args(argv)
    support.skip_without_corpus()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="khabar-search-quality-") as data_dir:
        setup_django(data_dir)
        from khabar.arabic.analyze import DEFAULT_ANALYZER

        rng = random.Random(SEED)
        records = load_collection(args.articles, rng)
        targets = pick_targets(records, args.targets, rng, DEFAULT_ANALYZER)
        queries = make_queries(targets, rng, DEFAULT_ANALYZER)
        print(f"{len(records):,} articles, {len(targets)} targets, {len(queries):,} queries")
        results = {}
        selected = set(filter(None, args.engines.split(",")))
        for name, make in build_engines(selected):
            engine = make()
            t0 = time.perf_counter()
            engine.index(records)
            index_s = time.perf_counter() - t0
            results[name] = evaluate(engine, queries)
            results[name]["index_s"] = index_s
            print(f"  {name}: indexed in {index_s:.1f} s, MRR@10 over variants {results[name]['all-variants']['mrr10']:.3f}")
        examples = [q for q in queries if q["target"] == targets[0]["page_id"]]

    rows = []
    for kind in (*KINDS, "all-variants"):
        row = [kind, next((r[kind]["n"] for r in results.values() if kind in r), 0)]
        for name in results:
            stats = results[name].get(kind)
            row.append(f"{stats['mrr10']:.3f} / {stats['recall10']:.3f}" if stats else "")
        rows.append(row)
    print()
    print("MRR@10 / recall@10 per query kind")
    print(support.render_table(["kind", "n", *results], rows))
    print()
    print(support.render_table(
        ["engine", "mean ms", "p95 ms", "index s"],
        [[n, f"{r['latency_ms']['mean']:.2f}", f"{r['latency_ms']['p95']:.2f}", f"{r['index_s']:.1f}"] for n, r in results.items()],
    ))
    khabar = results.get("khabar")
    targets_met = None
    if khabar:
        targets_met = {
            "variants_mrr10": {"value": round(khabar["all-variants"]["mrr10"], 4), "target": TARGET_MRR_VARIANTS,
                               "met": khabar["all-variants"]["mrr10"] >= TARGET_MRR_VARIANTS},
            "exact_title_mrr10": {"value": round(khabar["exact-title"]["mrr10"], 4), "target": TARGET_MRR_EXACT_TITLE,
                                  "met": khabar["exact-title"]["mrr10"] >= TARGET_MRR_EXACT_TITLE},
        }
        print(f"\nkhabar: MRR@10 {targets_met['variants_mrr10']['value']} over variant queries (target "
              f"{TARGET_MRR_VARIANTS}), {targets_met['exact_title_mrr10']['value']} on exact titles (target {TARGET_MRR_EXACT_TITLE})")
    support.write_results(
        "search_quality",
        {
            "benchmark": "search_quality",
            "machine": support.machine_facts(),
            "settings": {"articles": len(records), "targets": len(targets), "queries": len(queries), "seed": SEED},
            "targets": targets_met,
            "engines": {
                name: {k: ({kk: round(vv, 4) if isinstance(vv, float) else vv for kk, vv in v.items()}
                           if isinstance(v, dict) else round(v, 2)) for k, v in r.items()}
                for name, r in results.items()
            },
            "example_queries": examples,
            "seconds": round(time.monotonic() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
