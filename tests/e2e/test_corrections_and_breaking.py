"""A reader on a phone sees the «عاجل» story leading the home page with its mark, and a corrected
story's dated notes under its text, enlarged with it by «حجم الخط»."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def corrected(news_site):
    from khabar.news.models import ArticleNote, ArticlePage

    page = ArticlePage.objects.get(pk=news_site.article.pk)
    page.notes.add(ArticleNote(kind=ArticleNote.UPDATE, noted_at=timezone.now() - timedelta(minutes=40),
                               text="أكدت الخارجية الروسية لاحقاً أن الوفد غادر موسكو."))
    page.notes.add(ArticleNote(kind=ArticleNote.CORRECTION, noted_at=timezone.now() - timedelta(minutes=5),
                               text="ورد في نسخة سابقة أن اللقاء عُقد الأربعاء، والصحيح أنه عُقد الخميس."))
    page.save_revision().publish()
    return page


def test_the_breaking_story_leads_the_home_page_with_its_mark(news_site, page):
    page.goto("/")
    lead = page.locator(".home-top__lead")
    expect(lead).to_contain_text("زلزال بقوة 5.8")
    expect(lead.locator(".card__breaking")).to_have_text("عاجل")
    expect(page.locator(".latest-list .card__breaking")).to_have_count(0)
    screenshot(page, "breaking-lead-home-mobile")


def test_notes_follow_the_story_and_grow_with_the_text(corrected, page):
    page.goto(corrected.url)
    notes = page.locator(".article__notes")
    expect(notes.get_by_role("heading", name="تحديثات وتصحيحات")).to_be_visible()
    expect(notes.locator(".note__kind")).to_have_text(["تحديث", "تصحيح"])
    expect(notes.locator(".note--correction")).to_contain_text("والصحيح أنه عُقد الخميس")
    assert notes.locator("time").first.get_attribute("datetime")
    # The notes are right to left, in the story's column.
    assert notes.evaluate("element => getComputedStyle(element).direction") == "rtl"
    before = notes.locator(".note__text").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("button", name="تكبير الخط").click()
    page.get_by_role("button", name="تكبير الخط").click()
    after = notes.locator(".note__text").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert after > before
    page.wait_for_load_state("networkidle")  # every picture in, before the full-page shot
    screenshot(page, "article-notes-mobile")
