"""Near-duplicate grouping of wire copy (khabar.wire.dedup): quality on labelled pairs, and speed.

Pairs are built from the shared corpus of real Arabic news:
- true pairs: two agency versions of one article, each a synthetic rewrite of it:
    reworded-lead     synonyms in the headline and lead, a clause or the subject moved
    dateline-credit   another dateline and credit ("القاهرة (رويترز) -" against "القاهرة - أ ف ب:")
    paragraphs-dropped / paragraphs-added   a shorter cut, or background paragraphs of another story
    sentences-reordered   sentences and paragraphs in another order
    spelling          hamza, teh marbuta, alef maksura, tashkeel, Arabic-Indic digits
    mixed             two to four of the above at once
  (every version also gets its own dateline and credit);
- false pairs: different stories of one section and one day ("same-day"), and, among those, the
  pairs with the highest word overlap ("overlapping"), each side with its own dateline and credit.
Pairs are split in two halves by story: the threshold is chosen on the first (best F1) and
precision, recall and F1 are reported on the second.

It compares, on the same pairs: tokens (raw words, folded, folded + stemmed), shingle length k,
the score (Jaccard or containment) and the sketch (exact sets, khabar's bottom-k, a numpy-free
MinHash with k permutations, datasketch's MinHash when importable), then times the full
``assign_group`` path (signature, 48 h window of wire items and articles, database writes) on a
throwaway SQLite database.

Prints tables and JSON (bench/results/wire_dedup.json).

    .venv/bin/python bench/wire_dedup.py [--pairs 1500] [--window 2000] [--items 1000]
    PYTHONPATH=/path/to/datasketch .venv/bin/python bench/wire_dedup.py   # adds the datasketch row
"""

import argparse
import difflib
import gzip
import json
import os
import random
import re
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

SEED = 20240612
TARGET_F1 = 0.9
TARGET_ITEMS_PER_S = 1000
KINDS = ("reworded-lead", "dateline-credit", "paragraphs-dropped", "paragraphs-added", "sentences-reordered",
         "spelling", "mixed")
FALSE_KINDS = ("same-day", "overlapping")

# --- rewriting one story as another agency would ----------------------------------------
SYNONYMS = {
    "قال": ("أفاد", "أوضح", "ذكر"), "وقال": ("وأفاد", "وأوضح", "وذكر"), "قالت": ("أفادت", "أوضحت", "ذكرت"),
    "وقالت": ("وأفادت", "وأوضحت", "وذكرت"), "أعلن": ("كشف", "أكد"), "أعلنت": ("كشفت", "أكدت"),
    "أكد": ("شدد على", "أعلن"), "أكدت": ("شددت على", "أعلنت"), "بعد": ("عقب",), "خلال": ("أثناء", "في أثناء"),
    "أكثر من": ("ما يزيد على", "ما يربو على"), "مقتل": ("وفاة", "سقوط"), "قتل": ("لقي حتفه",),
    "السلطات": ("الجهات الرسمية", "الحكومة"), "أشار": ("لفت",), "وأضاف": ("وتابع", "وزاد"),
    "حسب": ("وفقا لـ", "بحسب"), "بحسب": ("وفقا لـ", "حسب"), "لكن": ("غير أن", "إلا أن"), "الذي": ("والذي",),
    "مسؤولون": ("مسؤولين",), "الأربعاء": ("يوم الأربعاء",), "الخميس": ("يوم الخميس",), "الجمعة": ("يوم الجمعة",),
    "السبت": ("يوم السبت",), "الأحد": ("يوم الأحد",), "الاثنين": ("يوم الاثنين",), "الثلاثاء": ("يوم الثلاثاء",),
    "اليوم": ("في وقت سابق اليوم",), "أمس": ("يوم أمس",), "كبير": ("ضخم",), "جديد": ("آخر",),
    "عدد": ("جملة",), "تقرير": ("بيان",), "وزير": ("الوزير",), "رئيس": ("زعيم",), "عن": ("بشأن",),
}
SYNONYM_PATTERN = re.compile(r"(?<!\S)(" + "|".join(map(re.escape, sorted(SYNONYMS, key=len, reverse=True))) + r")(?!\S)")
PLACES = ("القاهرة", "بيروت", "دبي", "الرياض", "باريس", "لندن", "واشنطن", "موسكو", "عمّان", "أنقرة", "تونس")
AGENCIES = ("رويترز", "أ ف ب", "الأناضول", "د ب أ", "واس", "وكالات")
HAMZA = {"أ": "ا", "إ": "ا", "آ": "ا"}
TASHKEEL = ("\u064e", "\u064f", "\u0650", "\u0652", "\u0651")
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


def wrap(paragraphs, rng):
    """Paragraphs with a dateline and a credit in one agency's house style."""
    place, agency = rng.choice(PLACES), rng.choice(AGENCIES)
    style = rng.randrange(4)
    lead = paragraphs[0]
    if style == 0:
        lead = f"{place} ({agency}) - {lead}"
    elif style == 1:
        lead = f"{place}: {lead}"
    elif style == 2:
        lead = f"{place} - {agency}: {lead}"
    paragraphs = [lead] + paragraphs[1:]
    if rng.random() < 0.7:
        paragraphs = paragraphs[:-1] + [paragraphs[-1] + f" ({agency})"] if rng.random() < 0.5 else paragraphs + [f"({agency})"]
    return paragraphs


def reword(text, rng, rate=0.8):
    """Synonyms for common news words; for a lead, also a clause or the subject moved."""
    text = SYNONYM_PATTERN.sub(lambda m: rng.choice(SYNONYMS[m.group(1)]) if rng.random() < rate else m.group(1), text)
    clauses = [c.strip() for c in text.split("،") if c.strip()]
    if len(clauses) >= 3 and rng.random() < 0.5:
        clauses[0], clauses[1] = clauses[1], clauses[0]
        return "، ".join(clauses)
    words = text.split()
    if len(words) > 6:  # verb-subject to subject-verb: "أعلن البيت الأبيض" -> "البيت الأبيض أعلن"
        words = words[1:3] + words[:1] + words[3:]
    return " ".join(words)


def respell(text, rng):
    """The same words as another desk's keyboard writes them."""
    out = []
    for word in text.split(" "):
        r = rng.random()
        if r < 0.3:
            word = "".join(HAMZA.get(ch, ch) for ch in word)
        elif r < 0.4 and word.endswith("ة"):
            word = word[:-1] + "ه"
        elif r < 0.5 and word.endswith("ي"):
            word = word[:-1] + "ى"
        elif r < 0.6 and len(word) > 2:
            i = rng.randrange(1, len(word))
            word = word[:i] + rng.choice(TASHKEEL) + word[i:]
        out.append(word)
    return " ".join(out).translate(INDIC) if rng.random() < 0.5 else " ".join(out)


def rewrite(story, kind, rng, background):
    """One agency's version of ``story`` ({title, paragraphs}) under one kind of change."""
    title, paragraphs = story["title"], list(story["paragraphs"])
    if kind == "reworded-lead":
        title, paragraphs = reword(title, rng), [reword(paragraphs[0], rng)] + paragraphs[1:]
    elif kind == "paragraphs-dropped":
        if len(paragraphs) > 1:
            keep = rng.randint(max(1, (len(paragraphs) + 1) // 2), len(paragraphs) - 1)
            paragraphs = paragraphs[:1] + rng.sample(paragraphs[1:], keep - 1) if rng.random() < 0.5 else paragraphs[:keep]
        else:  # one long paragraph: cut its last sentences
            sentences = SENTENCE_END.split(paragraphs[0])
            paragraphs = [" ".join(sentences[: max(1, (len(sentences) * 2 + 2) // 3)])]
    elif kind == "paragraphs-added":
        extra = [p for p in background["paragraphs"][1:] or background["paragraphs"]][:2]
        at = rng.randint(1, len(paragraphs))
        paragraphs = paragraphs[:at] + extra[: rng.randint(1, len(extra))] + paragraphs[at:]
    elif kind == "sentences-reordered":
        sentences = [s for p in paragraphs for s in SENTENCE_END.split(p) if s]
        body = sentences[1:]
        for _ in range(max(1, len(body) // 2)):
            if len(body) > 1:
                i = rng.randrange(len(body) - 1)
                body[i], body[i + 1] = body[i + 1], body[i]
        lead = sentences[0]
        paragraphs = [lead] + [" ".join(body[i:i + 2]) for i in range(0, len(body), 2)]
    elif kind == "spelling":
        title, paragraphs = respell(title, rng), [respell(p, rng) for p in paragraphs]
    elif kind == "mixed":
        story = {"title": title, "paragraphs": paragraphs}
        for part in sorted(rng.sample(KINDS[:-1], rng.randint(2, 4)), key=KINDS.index):  # cut, then add
            story = rewrite(story, part, rng, background)
        return story
    return {"title": title, "paragraphs": paragraphs}


def version(story, kind, rng, background):
    """An agency's copy: the rewrite plus its own dateline and credit."""
    rewritten = rewrite(story, kind, rng, background) if kind != "dateline-credit" else story
    return {"title": rewritten["title"], "body": "\n\n".join(wrap(rewritten["paragraphs"], rng))}


# --- the labelled pairs ------------------------------------------------------------------
def load_stories(rng, limit):
    """Corpus articles with a section, 300-6,000 characters, grouped by (section, day)."""
    stories = []
    with gzip.open(support.CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if not record["section"] or not 300 <= len(record["body"]) <= 6000:
                continue
            paragraphs = [p for p in record["body"].split("\n\n") if p.strip()]
            stories.append({"id": record["id"], "title": record["title"], "paragraphs": paragraphs,
                            "bucket": (record["section"], record["published"][:10])})
    rng.shuffle(stories)
    return stories[:limit]


def same_story(x, y):
    """True when two corpus articles open with the same 60+ characters: one story published twice
    (the corpus keeps such near-duplicates, e.g. an SPA item reprinted by several papers), so the
    pair cannot serve as "different stories". The rule reads raw text, not khabar's method."""
    a, b = " ".join(x["paragraphs"])[:400], " ".join(y["paragraphs"])[:400]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size >= 60


def half_of(key):
    """0 (threshold chosen here) or 1 (reported here), fixed by the story or the bucket."""
    return zlib.crc32(repr(key).encode()) % 2


def build_pairs(stories, per_label, rng, word_set):
    by_bucket = defaultdict(list)
    for story in stories:
        by_bucket[story["bucket"]].append(story)
    pairs = []
    originals = rng.sample(stories, per_label)
    for n, story in enumerate(originals):
        kind = KINDS[n % len(KINDS)] if n % 10 < 7 else "mixed"
        peers = by_bucket[story["bucket"]]
        background = rng.choice([s for s in peers if s is not story] or stories)
        a = version(story, "dateline-credit", rng, background)
        b = version(story, kind, rng, background)
        pairs.append({"label": True, "kind": kind, "half": half_of(story["id"]), "a": a, "b": b})
    # Different stories, one section, one day: random pairs, and the most overlapping ones.
    buckets = [b for b in by_bucket.values() if len(b) >= 2]
    same_day = []
    while len(same_day) < per_label // 2:
        bucket = rng.choice(buckets)
        x, y = rng.sample(bucket, 2)
        if not same_story(x, y):
            same_day.append((x, y))
    scored = []
    for bucket in buckets:
        members = bucket[:80]
        sets = [word_set(s) for s in members]
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                union = len(sets[i] | sets[j]) or 1
                scored.append((len(sets[i] & sets[j]) / union, members[i], members[j]))
    scored.sort(key=lambda t: -t[0])
    overlapping, skipped = [], 0
    for overlap, x, y in scored:
        if len(overlapping) == per_label - len(same_day):
            break
        if same_story(x, y):
            skipped += 1
        else:
            overlapping.append((x, y, overlap))
    for kind, chosen in (("same-day", same_day), ("overlapping", [(x, y) for x, y, _ in overlapping])):
        for x, y in chosen:
            pairs.append({
                "label": False, "kind": kind, "half": half_of(x["bucket"]),
                "a": version(x, "dateline-credit", rng, x), "b": version(y, "dateline-credit", rng, y),
            })
    return pairs, {"overlap_range": [round(overlapping[-1][2], 3), round(overlapping[0][2], 3)],
                   "skipped_as_same_story": skipped}


# --- what is compared ----------------------------------------------------------------------
def tokenizers():
    from khabar.arabic.analyze import SURFACE_ANALYZER
    from khabar.wire.story_text import story_paragraphs, story_words

    def raw(title, body):
        return (title + " " + body).split()

    def folded(title, body):
        return SURFACE_ANALYZER.analyze(title) + [w for p in story_paragraphs(body) for w in SURFACE_ANALYZER.analyze(p)]

    return {"raw words": raw, "folded": folded, "folded+stemmed": story_words}


def shingle_set(words, k):
    from khabar.wire.sketch import shingles

    return shingles(words, k)


def exact_scores(a, b):
    both = len(a & b)
    return both / (len(a | b) or 1), both / (min(len(a), len(b)) or 1)


def evaluate(scores, labels, halves, kinds, fixed=None):
    """Threshold with the best F1 on half 0 (or ``fixed``), then P/R/F1 at it on half 1, per kind recall too."""
    def prf(threshold, half):
        tp = fp = fn = 0
        for s, y, h in zip(scores, labels, halves):
            if h != half:
                continue
            predicted = s >= threshold
            tp += predicted and y
            fp += predicted and not y
            fn += (not predicted) and y
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    candidates = sorted({round(s, 2) for s in scores} | {i / 100 for i in range(5, 96)})
    best = fixed if fixed is not None else max(candidates, key=lambda t: (prf(t, 0)[2], -abs(t - 0.5)))
    p, r, f = prf(best, 1)
    per_kind = {}
    for kind in sorted(set(kinds)):
        chosen = [(s, y) for s, y, h, k in zip(scores, labels, halves, kinds) if h == 1 and k == kind]
        hits = sum(1 for s, y in chosen if (s >= best) == y)
        per_kind[kind] = round(hits / len(chosen), 3) if chosen else None
    return {"threshold": best, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "curve": {t: [round(x, 4) for x in prf(t, 1)] for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)},
            "correct_by_kind": per_kind}


def compare_tokens_and_k(pairs, args):
    rows, results = [], {}
    labels = [p["label"] for p in pairs]
    halves = [p["half"] for p in pairs]
    kinds = [p["kind"] for p in pairs]
    for tokens_name, tokenize in tokenizers().items():
        words = [(tokenize(p["a"]["title"], p["a"]["body"]), tokenize(p["b"]["title"], p["b"]["body"])) for p in pairs]
        for k in args.k_values:
            sets = [(shingle_set(a, k), shingle_set(b, k)) for a, b in words]
            both = [exact_scores(a, b) for a, b in sets]
            for score_name, index in (("jaccard", 0), ("containment", 1)):
                result = evaluate([s[index] for s in both], labels, halves, kinds)
                results[f"{tokens_name} k={k} {score_name}"] = result
                rows.append([tokens_name, k, score_name, result["threshold"], result["precision"], result["recall"],
                             result["f1"]])
    print(support.render_table(["tokens", "k", "score", "threshold (half 0)", "P (half 1)", "R", "F1"], rows, "lrlrrrr"))
    return results


# --- sketches ------------------------------------------------------------------------------
MERSENNE = (1 << 61) - 1


class PurePythonMinHash:
    """Classic MinHash with ``n`` (a*x+b) mod p permutations, no numpy: the baseline khabar did not choose."""

    def __init__(self, n, seed=1):
        r = random.Random(seed)
        self.params = [(r.randrange(1, MERSENNE), r.randrange(0, MERSENNE)) for _ in range(n)]

    def sketch(self, shingles):
        hashes = [zlib.crc32(s.encode()) for s in shingles] or [0]
        return [min((a * x + b) % MERSENNE for x in hashes) for a, b in self.params]

    @staticmethod
    def jaccard(x, y):
        return sum(1 for i, j in zip(x, y) if i == j) / len(x)


def compare_sketches(pairs, k, args):
    from khabar.wire import dedup
    from khabar.wire.story_text import story_words

    labels = [p["label"] for p in pairs]
    halves = [p["half"] for p in pairs]
    kinds = [p["kind"] for p in pairs]
    docs = [d for p in pairs for d in (p["a"], p["b"])]
    words = [story_words(d["title"], d["body"]) for d in docs]
    shingles = [shingle_set(w, k) for w in words]
    rows, results = [], {}

    def run(name, make, score):
        started = time.perf_counter()
        sketches = [make(s, w, d) for s, w, d in zip(shingles, words, docs)]
        per_doc_ms = (time.perf_counter() - started) * 1000 / len(docs)
        started = time.perf_counter()
        values = [score(sketches[2 * i], sketches[2 * i + 1]) for i in range(len(pairs))]
        compare_us = (time.perf_counter() - started) * 1e6 / len(pairs)
        result = evaluate(values, labels, halves, kinds)
        result.update(sketch_ms=round(per_doc_ms, 3), compare_us=round(compare_us, 2))
        results[name] = result
        rows.append([name, result["threshold"], result["precision"], result["recall"], result["f1"],
                     f"{per_doc_ms:.3f}", f"{compare_us:.1f}"])

    run("exact shingle sets (containment)", lambda s, w, d: s, lambda a, b: exact_scores(a, b)[1])
    run("exact shingle sets (jaccard)", lambda s, w, d: s, lambda a, b: exact_scores(a, b)[0])
    run(f"khabar bottom-{dedup.SKETCH_SIZE} (match_score)", lambda s, w, d: dedup.signature(d["title"], d["body"]),
        dedup.match_score)
    values = [dedup.match_score(dedup.signature(p["a"]["title"], p["a"]["body"]),
                                dedup.signature(p["b"]["title"], p["b"]["body"])) for p in pairs]
    results["khabar as shipped"] = evaluate(values, labels, halves, kinds, fixed=dedup.THRESHOLD)
    run(f"khabar bottom-{dedup.SKETCH_SIZE} (similarity, jaccard)", lambda s, w, d: dedup.signature(d["title"], d["body"]),
        dedup.similarity)
    if args.pure_minhash:
        sample = PurePythonMinHash(args.permutations)
        run(f"pure-Python MinHash {args.permutations} perms (jaccard)", lambda s, w, d: sample.sketch(s),
            PurePythonMinHash.jaccard)
    try:
        from datasketch import MinHash
    except ImportError:
        print("datasketch is not importable: no datasketch row (pip install --target DIR datasketch; PYTHONPATH=DIR)")
    else:
        def make(s, w, d):
            m = MinHash(num_perm=args.permutations, seed=1)
            m.update_batch([x.encode() for x in s])
            return m
        run(f"datasketch MinHash {args.permutations} perms (jaccard)", make, lambda a, b: a.jaccard(b))
    print(support.render_table(
        ["sketch", "threshold (half 0)", "P (half 1)", "R", "F1", "ms/signature", "µs/compare"], rows, "lrrrrrr"))
    return results


# --- the assign path on a database ---------------------------------------------------------
def setup_django(data_dir):
    os.environ["KHABAR_DATA_DIR"] = data_dir
    os.environ["KHABAR_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "khabar.settings"
    os.environ.setdefault("KHABAR_LOG_LEVEL", "WARNING")
    os.environ.setdefault("KHABAR_TASKS_BACKEND", "immediate")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_assign(stories, rng, args):
    """Items/s of ``assign_group`` for ``args.items`` new items against a 48 h window of ``args.window``."""
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.rich_text import RichText

    from khabar.news.article_text import paragraphs_to_html
    from khabar.news.models import Agency, ArticlePage
    from khabar.news.site_tree import ensure_home_page, get_or_create_section
    from khabar.wire import dedup
    from khabar.wire.models import WireItem

    agencies = [Agency.objects.create(name=name, credit=name) for name in AGENCIES]
    section = get_or_create_section(ensure_home_page(), "العالم")
    now = timezone.now()
    window, fresh = stories[: args.window], stories[args.window: args.window + args.items]
    for story in stories[args.window + args.items: args.window + args.items + args.articles]:
        page = ArticlePage(title=story["title"], body=[("text", RichText(paragraphs_to_html(story["paragraphs"])))])
        section.add_child(instance=page)
        page.save_revision().publish()
    rows = []
    for n, story in enumerate(window):
        copy = version(story, "dateline-credit", rng, story)
        item = WireItem(agency=agencies[n % len(agencies)], guid=f"window-{n}", headline=copy["title"][:500],
                        body_html=paragraphs_to_html(copy["body"].split("\n\n")))
        item.signature = dedup.item_signature(item)
        rows.append(item)
    WireItem.objects.bulk_create(rows)
    # Spread the window over 47 hours, as two days of agency copy would be.
    for n, pk in enumerate(WireItem.objects.order_by("pk").values_list("pk", flat=True)):
        WireItem.objects.filter(pk=pk).update(received_at=now - timedelta(hours=47) * (n / max(1, len(window))))
    dedup.reset_index()
    dedup.assign_group(WireItem.objects.get(guid="window-0"))  # reads the window in once, as a running worker has
    # New items, saved one by one as the ingest does: half are other agencies' versions of window stories,
    # half new stories. Only assign_group is timed.
    elapsed = cpu = 0.0
    grouped = 0
    for n in range(args.items):
        story = window[rng.randrange(len(window))] if n % 2 == 0 else fresh[n]
        copy = version(story, rng.choice(KINDS), rng, rng.choice(window))
        item = WireItem.objects.create(agency=agencies[n % len(agencies)], guid=f"new-{n}", headline=copy["title"][:500],
                                       body_html=paragraphs_to_html(copy["body"].split("\n\n")))
        started, cpu_started = time.perf_counter(), time.process_time()
        grouped += dedup.assign_group(item) is not None
        elapsed += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    # Wall time counts whatever else the machine runs; CPU time is what the path itself costs.
    return {"window_items": len(window), "articles_48h": args.articles, "new_items": args.items,
            "seconds": round(elapsed, 3), "items_per_s": round(args.items / elapsed, 1),
            "cpu_seconds": round(cpu, 3), "items_per_cpu_s": round(args.items / cpu, 1),
            "load_average_after": [round(x, 2) for x in os.getloadavg()], "grouped": grouped}


def time_matching(stories, rng, args):
    """Items/s of the detection alone: sketch a new item and find its best match among a 48 h window held
    in memory (``args.window`` items and ``args.articles`` articles), as the worker keeps it. No database:
    this is what grouping costs; ``time_assign`` adds the ingest's rows."""
    from khabar.wire import dedup
    from khabar.wire.sketch import Sketch, SketchIndex

    index = SketchIndex()
    window = stories[: args.window + args.articles]
    for n, story in enumerate(window):
        copy = version(story, "dateline-credit", rng, story)
        index.add(n, Sketch.parse(dedup.signature(copy["title"], copy["body"])))
    copies = []
    for n in range(args.items):
        story = window[rng.randrange(len(window))] if n % 2 == 0 else stories[len(window) + n]
        copies.append(version(story, rng.choice(KINDS), rng, rng.choice(window)))
    started, cpu_started = time.perf_counter(), time.process_time()
    grouped = sum(bool(index.best(Sketch.parse(dedup.signature(c["title"], c["body"])), dedup.THRESHOLD, limit=1))
                  for c in copies)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {"window": len(window), "new_items": args.items, "items_per_s": round(args.items / elapsed, 1),
            "items_per_cpu_s": round(args.items / cpu, 1), "grouped": grouped}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pairs", type=int, default=1500, help="true pairs, and false pairs (default 1500 each)")
    p.add_argument("--stories", type=int, default=20000, help="corpus articles to draw from (default 20000)")
    p.add_argument("--k-values", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2, 3, 4, 5])
    p.add_argument("--permutations", type=int, default=128, help="MinHash permutations of the baselines")
    p.add_argument("--no-pure-minhash", dest="pure_minhash", action="store_false",
                   help="skip the slow pure-Python MinHash baseline")
    p.add_argument("--window", type=int, default=2000, help="wire items in the 48 h window (default 2000)")
    p.add_argument("--articles", type=int, default=100, help="articles published in the 48 h window (default 100)")
    p.add_argument("--items", type=int, default=1000, help="new items timed through assign_group (default 1000)")
    p.add_argument("--skip-speed", action="store_true")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    support.skip_without_corpus()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="khabar-wire-dedup-") as data_dir:
        setup_django(data_dir)
        from khabar.wire import dedup
        from khabar.wire.story_text import story_words

        stories = load_stories(rng, args.stories)
        started = time.monotonic()
        pairs, negatives = build_pairs(stories, args.pairs, rng, lambda s: set(story_words(s["title"], "\n".join(s["paragraphs"]))))
        print(f"{len(stories):,} stories; {sum(p['label'] for p in pairs):,} true and "
              f"{sum(not p['label'] for p in pairs):,} false pairs (half 1: {sum(p['half'] for p in pairs):,}) "
              f"in {time.monotonic() - started:.1f} s; overlapping false pairs share "
              f"{negatives['overlap_range'][0]:.2f}-{negatives['overlap_range'][1]:.2f} of their words "
              f"({negatives['skipped_as_same_story']} pairs skipped: one story published twice)")
        print()
        by_config = compare_tokens_and_k(pairs, args)
        print()
        sketches = compare_sketches(pairs, dedup.SHINGLE_WORDS, args)
        chosen = sketches["khabar as shipped"]
        print(f"\nkhabar as shipped (threshold {dedup.THRESHOLD}), on half 1: P {chosen['precision']} "
              f"R {chosen['recall']} F1 {chosen['f1']}")
        print(support.render_table(["threshold", "P", "R", "F1"], [[t, *v] for t, v in chosen["curve"].items()]))
        print(support.render_table(["pairs", "judged right"], list(chosen["correct_by_kind"].items())))
        speed = None
        matching = time_matching(stories, random.Random(SEED + 2), args)
        print(f"\ndetection (sketch + best match in memory): {matching['new_items']} new items against "
              f"{matching['window']} stories in 48 h: {matching['items_per_s']:,} items/s wall, "
              f"{matching['items_per_cpu_s']:,} items per CPU second ({matching['grouped']} grouped)")
        if not args.skip_speed:
            speed = time_assign(stories, random.Random(SEED + 1), args)
            print(f"\nassign_group: {speed['new_items']} new items against {speed['window_items']} wire items and "
                  f"{speed['articles_48h']} articles in 48 h: {speed['items_per_s']:,} items/s wall, "
                  f"{speed['items_per_cpu_s']:,} items per CPU second ({speed['grouped']} grouped; "
                  f"load average {speed['load_average_after']})")
    support.write_results("wire_dedup", {
        "machine": support.machine_facts(),
        "args": vars(args),
        "pairs": {"true": sum(p["label"] for p in pairs), "false": sum(not p["label"] for p in pairs), **negatives},
        "khabar": {"shingle_words": dedup.SHINGLE_WORDS, "sketch_size": dedup.SKETCH_SIZE, "threshold": dedup.THRESHOLD,
                   **{k: chosen[k] for k in ("precision", "recall", "f1", "correct_by_kind", "curve")}},
        "targets": {"f1": TARGET_F1, "items_per_s": TARGET_ITEMS_PER_S,
                    "f1_met": chosen["f1"] >= TARGET_F1,
                    "speed_met_wall": bool(speed and speed["items_per_s"] >= TARGET_ITEMS_PER_S),
                    "speed_met_cpu": bool(speed and speed["items_per_cpu_s"] >= TARGET_ITEMS_PER_S),
                    "detection_speed_met": matching["items_per_s"] >= TARGET_ITEMS_PER_S},
        "speed": speed,
        "matching": matching,
        "tokens_and_k": by_config,
        "sketches": sketches,
    }, echo=False)


if __name__ == "__main__":
    main()
