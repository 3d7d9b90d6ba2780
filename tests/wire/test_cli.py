"""``khabar wire add-feed`` and ``khabar wire pull``, run as an operator runs them, on a site of their own."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .samples import STORIES, ninjs, ninjs_item, rss, story_html

KHABAR = Path(sys.executable).with_name("khabar")


@pytest.fixture
def khabar(tmp_path):
    """Run ``khabar …`` with its data (SQLite, cache) in a fresh folder; returns the CompletedProcess."""
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "KHABAR_DATABASE_URL")}
    env["KHABAR_DATA_DIR"] = str(tmp_path / "data")

    def run(*args):
        return subprocess.run([str(KHABAR), *args], env=env, capture_output=True, text=True, timeout=300)

    return run


def test_an_operator_adds_feeds_and_pulls_them(khabar, feeds):
    feeds.serve("/afp.rss", rss([
        ("afp-quake", STORIES["quake"]["headline"], story_html("quake"), "Wed, 02 Dec 2026 06:00:00 +0300"),
        ("afp-talks", STORIES["talks"]["headline"], story_html("talks"), "Wed, 02 Dec 2026 06:10:00 +0300"),
    ]))
    feeds.serve("/aa.json", ninjs([ninjs_item("urn:aa:oil", "oil")]), content_type="application/json")
    feeds.serve("/down.xml", "", status=500)

    refused = khabar("wire", "add-feed", "وكالة الصحافة الفرنسية", feeds.url("/afp.rss"), "--section", "العالم")
    assert refused.returncode == 1 and "لا يوجد قسم باسم «العالم»" in refused.stderr
    bad_url = khabar("wire", "add-feed", "رويترز", "ftp://wire.example.org/feed")
    assert bad_url.returncode == 2 and "رابط غير صالح" in bad_url.stderr

    made = khabar("manage", "shell", "-c", "from khabar.news.site_tree import ensure_home_page, get_or_create_section;"
                  "get_or_create_section(ensure_home_page(), 'العالم')")
    assert made.returncode == 0, made.stderr

    added = khabar("wire", "add-feed", "وكالة الصحافة الفرنسية", feeds.url("/afp.rss"), "--section", "العالم")
    assert added.returncode == 0, added.stderr
    assert "أُنشئت الوكالة «وكالة الصحافة الفرنسية»" in added.stdout and "قسم «العالم»" in added.stdout
    assert khabar("wire", "add-feed", "الأناضول", feeds.url("/aa.json"), "--format", "ninjs").returncode == 0
    assert khabar("wire", "add-feed", "وكالة متعثرة", feeds.url("/down.xml")).returncode == 0

    pulled = khabar("wire", "pull", "--json")

    assert pulled.returncode == 0, pulled.stderr
    report = json.loads(pulled.stdout)
    assert report["feeds"]["وكالة الصحافة الفرنسية"] == {"new": 2, "updated": 0, "duplicates": 0, "withdrawn": 0, "errors": []}
    assert report["feeds"]["الأناضول"]["new"] == 1
    assert report["feeds"]["وكالة متعثرة"]["errors"] == ["ردّت الخدمة برمز الخطأ 500"]
    assert report["totals"] == {"new": 3, "updated": 0, "duplicates": 0, "withdrawn": 0, "errors": 1}

    again = khabar("wire", "pull")  # ignores next_poll_at: every feed is read now
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0].split() == ["الخدمة", "جديد", "محدَّث", "مكرر", "مسحوب", "أخطاء"]
    assert lines[1].split()[-5:] == ["0", "0", "0", "0", "0"]
    assert "وكالة متعثرة: ردّت الخدمة برمز الخطأ 500" in again.stdout
    assert len(feeds.routes["/afp.rss"].requests) == 2

    drafts = khabar("manage", "shell", "-c", "from khabar.news.models import ArticlePage;"
                    "print(sorted((p.title, p.live, p.get_parent().title) for p in ArticlePage.objects.all()))")
    assert drafts.stdout.strip().splitlines()[-1] == str(sorted((STORIES[k]["headline"], False, "العالم") for k in ("quake", "talks", "oil")))
