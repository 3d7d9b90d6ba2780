"""`khabar import-articles`: the corpus JSON Lines format into live articles."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import call_command

from khabar.news.models import Agency, ArticlePage, Author, SectionPage
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db


def record(n, **extra):
    return {
        "id": f"test-{n}",
        "title": f"عنوان الخبر رقم {n}",
        "body": f"القاهرة: نص الفقرة الأولى للخبر {n}.\n\nفقرة ثانية.\n\n(رويترز)",
        "section": "اقتصاد",
        "published": "2018-02-18T12:26:59+00:00",
        "source": "Test Outlet",
        "url": f"https://example.org/{n}",
        **extra,
    }


def write_jsonl(path, rows, gz=False):
    text = "\n".join(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows) + "\n"
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_import(path):
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_live_articles_with_fields(tmp_path, client):
    path = write_jsonl(tmp_path / "a.jsonl", [record(1, tags=["الذهب", "النفط"], authors=["منى"], breaking=True)])
    out, _ = run_import(path)
    assert "1 articles created" in out
    page = ArticlePage.objects.get(import_id="test-1")
    assert page.live and page.get_parent().title == "اقتصاد"
    assert page.dateline == "القاهرة"
    assert page.credit == "رويترز"
    assert [a.name for a in page.authors.all()] == ["منى"]
    assert sorted(t.name for t in page.tags.all()) == ["الذهب", "النفط"]
    assert page.is_breaking and page.breaking_until
    assert page.first_published_at.isoformat() == "2018-02-18T12:26:59+00:00"
    html = client.get(page.url).content.decode()
    assert '<span class="dateline">القاهرة:</span> نص الفقرة الأولى' in html
    assert "(رويترز)" in html


def test_rerun_creates_no_duplicates(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record(n) for n in range(5)])
    run_import(path)
    out, _ = run_import(path)
    assert "0 articles created, 5 already present" in out
    assert ArticlePage.objects.count() == 5
    assert Agency.objects.filter(name="رويترز").count() == 1


def test_bad_lines_are_reported_with_line_numbers_and_skipped(tmp_path):
    rows = [
        record(1),
        "{not json",
        record(2, title="   "),
        record(3, published="yesterday"),
        "[1, 2]",
        record(4, body=""),
        record(5),
    ]
    out, err = run_import(write_jsonl(tmp_path / "a.jsonl", rows))
    assert "2 articles created" in out and "5 bad lines" in out
    assert "line 2: not valid JSON" in err
    assert "line 3: missing 'title'" in err
    assert "line 4: 'published' is not an ISO 8601 date" in err
    assert "line 5: not a JSON object" in err
    assert "line 6: missing 'body'" in err


def test_overlong_or_odd_source_links_are_dropped_not_the_article(tmp_path):
    rows = [record(1, url="https://example.org/" + "x" * 600), record(2, url="javascript:alert(1)")]
    out, _ = run_import(write_jsonl(tmp_path / "a.jsonl", rows))
    assert "2 articles created" in out
    assert set(ArticlePage.objects.values_list("source_url", flat=True)) == {""}


def test_gzip_files_and_missing_sections(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl.gz", [record(1, section=None), record(2, section="رياضة")], gz=True)
    run_import(path)
    assert set(SectionPage.objects.values_list("title", flat=True)) == {"أخبار", "رياضة"}


def test_plain_dates_and_explicit_dateline_and_agency(tmp_path):
    row = record(1, published="2015-07-21", dateline="الرياض", agency="واس", body="الرياض: افتتح الأمير المعرض.")
    run_import(write_jsonl(tmp_path / "a.jsonl", [row]))
    page = ArticlePage.objects.get()
    assert page.dateline == "الرياض"
    assert page.credit == "واس"
    assert page.agency_list[0].name == "وكالة الأنباء السعودية"
    assert page.first_published_at.date().isoformat() == "2015-07-21"


def test_same_titles_get_distinct_slugs(tmp_path, client):
    run_import(write_jsonl(tmp_path / "a.jsonl", [record(1, title="عنوان مكرر"), record(2, title="عنوان مكرر")]))
    urls = {page.url for page in ArticlePage.objects.all()}
    assert len(urls) == 2
    assert all(client.get(url).status_code == 200 for url in urls)


def test_imported_articles_sit_beside_edited_ones(tmp_path, publish_article, section, client):
    """Paths chosen by the importer must not collide with pages editors add in the same section."""
    publish_article(title="خبر كتبه المحرر")
    run_import(write_jsonl(tmp_path / "a.jsonl", [record(1, section=section.title)]))
    publish_article(title="خبر ثان كتبه المحرر")
    section.refresh_from_db()
    assert section.numchild == 3
    assert ArticlePage.objects.child_of(section).count() == 3


def test_file_that_cannot_be_opened(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot open"):
        run_import(tmp_path / "missing.jsonl")


def test_sample_of_the_shared_corpus(client):
    out, err = run_import(shared_path("corpus/sample-200.jsonl"))
    assert "200 articles created" in out and "0 bad lines" in out
    page = ArticlePage.objects.order_by("?").first()
    assert client.get(page.url).status_code == 200
    assert Author.objects.count() == 0


def test_lines_that_once_aborted_the_import_are_bad_lines_or_fit(tmp_path):
    rows = [
        record(1, body="(وكالات)", dateline="موسكو"),  # nothing but the credit
        record(2, tags=["Gaza", "gaza"]),  # two new tags with one slug
        record(3, section="World"),
        record(4, section="world"),  # a section whose slug exists already
        record(5, agency="و" * 80, authors=["ك" * 200]),  # names longer than their columns
    ]
    out, err = run_import(write_jsonl(tmp_path / "a.jsonl", rows))
    assert "4 articles created" in out and "1 bad lines" in out
    assert "line 1: 'body' holds nothing but the agency credit" in err
    assert SectionPage.objects.filter(title__in=["World", "world"]).count() == 1
