"""What bench/load.py's readers ask for: the site's pages read from its database, and a mix over them.

The site is read from the SQLite file (read-only) before the run, so every request
names a page that exists. Popularity is Zipf-like: the newest article is the hot one
(a breaking story shared on WhatsApp), home and sections come next, old articles and
tags make the long tail. Searches are words from the headlines, some typed the way
readers type (no hamza, ه for ة, ى for ي, a و or ال stuck on), some two words, some
rare enough to miss every cache.
"""

import bisect
import itertools
import random
import re
import sqlite3
from collections import Counter
from urllib.parse import quote, urlencode

# Weights of one reader action, in per cent (a comment or a sign-up is several requests).
ACTIONS = {
    "article": 55.0, "home": 16.0, "section": 10.0, "tag": 4.0, "author": 2.0, "feed": 2.0, "sitemap": 1.0,
    "search": 6.0, "comment": 3.0, "subscribe": 1.0,
}
READ_KINDS = ("article", "home", "section", "tag", "author", "feed", "sitemap")
ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]{4,}")
HAMZA_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
NAMES = ["أحمد", "فاطمة", "محمد علي", "ليلى", "يوسف", "مريم", "خالد", "سارة", "عمر", "نور", "حسن", "هدى"]
OPINIONS = [
    "شكراً على هذا التقرير المفصّل", "أتمنى أن تتابعوا هذا الموضوع", "هذا خبر مهم للجميع",
    "أختلف مع ما جاء في الفقرة الثانية", "متى تُنشر التفاصيل الكاملة؟", "تغطية ممتازة كالعادة",
]


def open_readonly(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


class Zipf:
    """Pick from ``items`` with weight 1/rank**s: the first item is the hottest."""

    def __init__(self, items, s=1.0):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(1.0 / (rank ** s) for rank in range(1, len(self.items) + 1)))

    def pick(self, rng):
        return self.items[bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])]


class Site:
    """The public pages of one khabar database, and the words its headlines use."""

    def __init__(self, db_path):
        with open_readonly(db_path) as db:
            root = db.execute(
                "SELECT p.url_path FROM wagtailcore_site s JOIN wagtailcore_page p ON p.id = s.root_page_id "
                "WHERE s.is_default_site"
            ).fetchone()[0]

            def url(url_path):
                return quote("/" + url_path[len(root):], safe="/")

            rows = db.execute(
                "SELECT p.id, p.url_path, p.title FROM wagtailcore_page p "
                "JOIN news_articlepage a ON a.page_ptr_id = p.id WHERE p.live "
                "ORDER BY p.first_published_at DESC, p.id DESC"
            ).fetchall()
            self.articles = [(pk, url(path)) for pk, path, _ in rows]
            titles = [title for _, _, title in rows]
            self.sections = [url(path) for (path,) in db.execute(
                "SELECT p.url_path FROM wagtailcore_page p JOIN news_sectionpage s ON s.page_ptr_id = p.id "
                "WHERE p.live ORDER BY p.path")]
            self.tags = [quote(f"/tag/{slug}/", safe="/") for (slug,) in db.execute(
                "SELECT t.slug FROM taggit_tag t JOIN news_articletag a ON a.tag_id = t.id "
                "GROUP BY t.id ORDER BY count(*) DESC, t.id")]
            self.authors = [quote(f"/author/{slug}/", safe="/") for (slug,) in db.execute(
                "SELECT slug FROM news_author ORDER BY id")]
        if not self.articles:
            raise SystemExit("the site has no published article to read")
        self.titles = titles
        self.words = self._search_words(titles)

    @staticmethod
    def _search_words(titles):
        """Headline words found in a few titles or more, most frequent first (the hot queries)."""
        frequency = Counter(word for title in titles for word in set(ARABIC_WORD.findall(title)))
        common = max(3, len(titles) // 20)  # words in every twentieth headline are stop words here
        words = [word for word, n in frequency.most_common() if 2 <= n <= common]
        return words[:500] or [word for word, _ in frequency.most_common(50)] or ["خبر"]

    def facts(self):
        return {"articles": len(self.articles), "sections": len(self.sections), "tags": len(self.tags),
                "authors": len(self.authors), "search_words": len(self.words),
                "hot_article": self.articles[0][1]}


def misspell(word, rng):
    """The word as a reader might type it: one of the foldings the search must undo."""
    options = []
    if word.translate(HAMZA_ALEFS) != word:
        options.append(word.translate(HAMZA_ALEFS))
    if word.endswith("ة"):
        options.append(word[:-1] + "ه")
    if word.endswith("ي"):
        options.append(word[:-1] + "ى")
    options.append("و" + word)
    if not word.startswith("ال"):
        options.append("ال" + word)
    options.append(word[:1] + "\u064e" + word[1:])  # a fatha, as pasted from a vocalised text
    return rng.choice(options)


class Mix:
    """Draws one reader action after another; each knows the requests it makes."""

    def __init__(self, site, seed):
        self.site = site
        self.rng = random.Random(seed)
        self.kinds = list(ACTIONS)
        self.cumulative = list(itertools.accumulate(ACTIONS.values()))
        self.hot_articles = Zipf(site.articles, s=1.0)
        self.sections = Zipf(site.sections or ["/"], s=0.8)
        self.tags = Zipf(site.tags or ["/"], s=1.0)
        self.authors = Zipf(site.authors or ["/"], s=0.8)
        self.words = Zipf(site.words, s=1.0)
        self.junk = itertools.count()

    def action(self):
        return self.kinds[bisect.bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])]

    def article(self):
        """(id, path) of an article, the hot one most often."""
        return self.hot_articles.pick(self.rng)

    def read_path(self, kind):
        rng = self.rng
        if kind == "article":
            path = self.article()[1]
            roll = rng.random()
            if roll < 0.10:  # shared on a social network: a tracking parameter the cache must ignore
                return f"{path}?fbclid=IwAR{next(self.junk):x}{rng.getrandbits(32):x}"
            if roll < 0.15:
                return f"{path}?utm_source=whatsapp&utm_medium=social"
            return path
        if kind == "home":
            return "/"
        if kind == "section":
            path = self.sections.pick(rng)
            return path if rng.random() < 0.8 else f"{path}?page={rng.randint(2, 5)}"
        if kind == "tag":
            return self.tags.pick(rng)
        if kind == "author":
            return self.authors.pick(rng)
        if kind == "feed":
            return "/feed/"
        if kind == "sitemap":
            return rng.choice(["/sitemap.xml", "/news-sitemap.xml"])
        raise ValueError(kind)

    def search_path(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.60:
            query = self.words.pick(rng)
        elif roll < 0.75:
            query = misspell(self.words.pick(rng), rng)
        elif roll < 0.90:
            words = ARABIC_WORD.findall(rng.choice(self.site.titles))
            query = " ".join(words[:2]) if len(words) >= 2 else self.words.pick(rng)
        else:  # the long tail: a pair nobody searched before, a miss for every cache
            query = f"{rng.choice(self.site.words)} {rng.choice(self.site.words)}"
        params = {"q": query}
        if rng.random() < 0.1:
            params["page"] = 2
        return "/search/?" + urlencode(params)


class Readers:
    """Simulated readers: each has an address (sent as X-Forwarded-For), an e-mail and a name.

    One reader in ten sits behind a carrier NAT shared with three others, as on mobile
    networks, so per-address limits meet more than one person. The first ``regulars``
    readers have an approved comment already: with moderation "first" their next one
    appears at once and purges the article's page.
    """

    def __init__(self, count, run_id, regulars):
        self.count, self.run_id, self.regulars = count, run_id, regulars

    def ip(self, n):
        if n % 10 == 9:
            n = n - n % 40  # four NAT'ed readers share one address
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def email(self, n):
        return f"reader{n}.{self.run_id}@load.example.org"

    def name(self, n):
        return NAMES[n % len(NAMES)]

    def pick(self, rng):
        return rng.randrange(self.count)


def comment_body(run_id, serial, rng):
    """A comment text unique to this run and this post, so the database check can find it."""
    return f"{rng.choice(OPINIONS)}. (تعليق تجريبي {run_id}-{serial})"
