"""Child of bench/site_size.py, run inside khabar's Django on one site (KHABAR_DATA_DIR selects it).

Renders each public page through Django's full request handling, in this process, page cache off,
and prints one JSON object: CPU milliseconds per request (median of rounds) and SQL queries, for
every page, once with the shared fragments on (a miss as readers meet it) and once off (a miss
right after a purge, everything rendered).
"""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
os.environ["KHABAR_PAGE_CACHE"] = "off"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from khabar import pagecache  # noqa: E402
from khabar.pagecache import api  # noqa: E402

SEARCHES = ["السعودية", "أسعار النفط", "الانتخابات الرئاسية", "كرة القدم", "الامم المتحدة سوريا"]


def pages():
    from khabar.news.models import ArticlePage, Author, SectionPage

    article = ArticlePage.objects.live().exclude(tagged_items=None).order_by("-first_published_at").first()
    article = article or ArticlePage.objects.live().order_by("-first_published_at").first()
    section = SectionPage.objects.live().order_by("path").first()
    tag = article.tags.first()
    author = Author.objects.filter(articles__live=True).first()
    urls = {
        "article": article.url,
        "home": "/",
        "section": section.url,
        # A deep page with twenty cards: page 50, or the last full page of a smaller site's section
        # (past its end the paginator would serve a last page of a few cards, a cheaper render).
        "section deep page": f"{section.url}?page={deep_page(section)}",
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
    }
    if tag:
        urls["tag"] = f"/tag/{tag.slug}/"
    if author:
        urls["author"] = author.get_absolute_url()
    for n, words in enumerate(SEARCHES):
        urls[f"search {n + 1}"] = f"/search/?q={words}"
    return urls


def deep_page(section, deepest=50):
    per_page = settings.KHABAR_ARTICLES_PER_PAGE
    return max(1, min(deepest, section.articles().count() // per_page))


def cost(client, url, rounds, per_round):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # now: the next request's request_started signal empties the log it reads
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    samples = []
    spent = 0.0
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(per_round):
            client.get(url)
        took = time.process_time() - start
        samples.append(took / per_round * 1000)
        spent += took
        if spent > 5:  # a slow page (a search at 100k) needs fewer samples to be measured
            break
    return {"cpu_ms": round(statistics.median(samples), 2), "queries": queries}


def main(rounds, per_round):
    client = Client(HTTP_HOST=os.environ.get("KHABAR_BENCH_HOST", "localhost"))
    urls = pages()
    result = {"urls": urls}
    for label, fragments in (("fragments", True), ("no_fragments", False)):
        settings.KHABAR_FRAGMENT_CACHE = fragments
        api.config.cache_clear()
        pagecache.purge_all()
        result[label] = {name: cost(client, url, rounds, per_round) for name, url in urls.items()}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, int(sys.argv[2]) if len(sys.argv) > 2 else 10)
