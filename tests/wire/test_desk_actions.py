"""The desk's actions on an incoming item: open, publish as is, merge into a published story, dismiss."""

import pytest
from django.test import Client
from wagtail.models import Page, WorkflowState

from khabar.news.models import ArticleNote, ArticlePage
from khabar.wire.models import StoryGroup, WireItem

from .desk_setup import DESK, desk_member, make_item

pytestmark = pytest.mark.django_db

PARAGRAPHS = (
    "أعلنت وزارة الصحة ارتفاع حصيلة ضحايا الفيضانات إلى 42 شخصاً، بينهم 11 طفلاً.",
    "وقال المتحدث باسم الوزارة إن فرق الإنقاذ ما زالت تبحث عن مفقودين في القرى الجبلية.",
)


@pytest.fixture
def reporter(section):
    """Writes and edits in العالم, cannot publish."""
    return desk_member("reporter", [section], permissions=("add", "change"))


@pytest.fixture
def item(reuters, section):
    return make_item(reuters, "ارتفاع حصيلة ضحايا الفيضانات", section, paragraphs=PARAGRAPHS, dateline="عمّان")


def signed_in(client, user):
    client.force_login(user)
    return client


def is_live(page):
    return ArticlePage.objects.filter(pk=page.pk, live=True).exists()


def follow_messages(response):
    return response.client.get(response["Location"]).content.decode()


# --- open ----------------------------------------------------------------------------------


def test_open_takes_the_editor_to_the_draft_in_wagtail_and_marks_it_handled(client, editor, item):
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/open/", {"next": DESK})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{item.article_id}/edit/"
    assert client.get(response["Location"]).status_code == 200
    item.refresh_from_db()
    assert item.handled_at and item.handled_by == editor


def test_actions_do_nothing_on_get(client, editor, item):
    signed_in(client, editor)
    for action in ("open", "publish", "dismiss"):
        assert client.get(f"{DESK}{item.pk}/{action}/").status_code == 405
    item.refresh_from_db()
    assert item.handled_at is None and not is_live(item.article)


def test_actions_need_the_csrf_token(editor, item, section):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    for action in ("open", "publish", "dismiss", "merge"):
        assert browser.post(f"{DESK}{item.pk}/{action}/", {"next": DESK}).status_code == 403
    item.refresh_from_db()
    assert item.handled_at is None and not is_live(item.article)


# --- publish as is --------------------------------------------------------------------------


def test_publish_as_is_puts_the_draft_on_the_site(client, editor, item):
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/publish/", {"next": DESK + "?state=waiting"})
    assert response.status_code == 302 and response["Location"] == DESK + "?state=waiting"
    assert "نُشر «ارتفاع حصيلة ضحايا الفيضانات»." in follow_messages(response)
    item.refresh_from_db()
    assert item.handled_by == editor and is_live(item.article)

    reader = Client()
    page = reader.get(ArticlePage.objects.get(pk=item.article_id).url)
    assert page.status_code == 200 and PARAGRAPHS[0][:30] in page.content.decode()


def test_a_reporter_cannot_publish(client, reporter, item):
    signed_in(client, reporter)
    html = client.get(DESK).content.decode()
    assert "ارتفاع حصيلة ضحايا الفيضانات" in html and "افتح للتحرير" in html
    assert "انشر كما هو" not in html

    assert client.post(f"{DESK}{item.pk}/publish/", {"next": DESK}).status_code == 403
    item.refresh_from_db()
    assert not is_live(item.article) and item.handled_at is None


def test_a_withdrawn_item_is_not_published(client, editor, item):
    WireItem.objects.filter(pk=item.pk).update(withdrawn=True, alert=WireItem.WITHDRAWN)
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/publish/", {"next": DESK})
    assert "سحبت الوكالة هذا الخبر، فلا يُنشر." in follow_messages(response)
    item.refresh_from_db()
    assert not is_live(item.article) and item.handled_at is None


def test_a_page_locked_by_a_colleague_is_not_published(client, editor, reporter, item):
    Page.objects.filter(pk=item.article_id).update(locked=True, locked_by=reporter)
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/publish/", {"next": DESK})
    assert "مقفل للتحرير" in follow_messages(response)
    assert not is_live(item.article)


# --- merge ------------------------------------------------------------------------------------


@pytest.fixture
def story(publish_article):
    return publish_article(title="فيضانات تجتاح الشمال", paragraphs=("اجتاحت فيضانات القرى الشمالية.",))


def test_the_merge_form_offers_recent_live_articles_the_story_first(client, editor, item, story, publish_article, economy):
    newer = publish_article(title="خبر أحدث في الاقتصاد", parent=economy)
    group = StoryGroup.objects.create(article=story)
    WireItem.objects.filter(pk=item.pk).update(group=group)
    html = signed_in(client, editor).get(f"{DESK}{item.pk}/merge/?next={DESK}").content.decode()
    options = html[html.index("<select"): html.index("</select>")]
    assert options.index("فيضانات تجتاح الشمال") < options.index("خبر أحدث في الاقتصاد")
    assert "ارتفاع حصيلة ضحايا الفيضانات" not in options  # drafts are not candidates
    assert PARAGRAPHS[1] in html  # what will be added is shown before it is
    assert newer.pk


def test_merge_adds_a_dated_update_and_the_paragraphs_and_publishes(client, editor, item, story):
    draft_id = item.article_id
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/merge/", {"article": story.pk, "next": DESK})
    assert response.status_code == 302
    assert "أُضيف التحديث إلى «فيضانات تجتاح الشمال» ونُشر. وحُذفت مسودة الوارد." in follow_messages(response)

    story.refresh_from_db()
    note = ArticleNote.objects.get(page=story)
    assert note.kind == ArticleNote.UPDATE and note.text.startswith("عمّان: أعلنت وزارة الصحة")
    html = Client().get(story.url).content.decode()
    assert "اجتاحت فيضانات القرى الشمالية." in html  # the story as it was
    assert PARAGRAPHS[1] in html  # then the agency's paragraphs

    item.refresh_from_db()
    assert item.article_id == story.pk and item.handled_by == editor
    assert not Page.objects.filter(pk=draft_id).exists()


def test_a_reporters_merge_waits_for_an_editor(client, reporter, item, story):
    response = signed_in(client, reporter).post(f"{DESK}{item.pk}/merge/", {"article": story.pk, "next": DESK})
    assert "وأُرسل للمراجعة قبل النشر" in follow_messages(response)

    assert PARAGRAPHS[1] not in Client().get(story.url).content.decode()
    story.refresh_from_db()
    assert story.has_unpublished_changes
    pending = story.get_latest_revision_as_object()
    assert PARAGRAPHS[1] in str(pending.body.raw_data) and len(pending.notes.all()) == 1
    assert WorkflowState.objects.filter(object_id=str(story.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()


def test_merge_keeps_a_colleagues_unpublished_edits_and_does_not_publish_them(client, editor, item, story):
    edited = story.get_latest_revision_as_object()
    edited.summary = "موجز لم يُنشر بعد"
    edited.save_revision()
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/merge/", {"article": story.pk, "next": DESK})
    assert "مع تعديلات لم تُنشر بعد فيه" in follow_messages(response)
    story.refresh_from_db()
    assert story.summary == "" and PARAGRAPHS[1] not in Client().get(story.url).content.decode()
    latest = story.get_latest_revision_as_object()
    assert latest.summary == "موجز لم يُنشر بعد" and PARAGRAPHS[1] in str(latest.body.raw_data)


def test_merge_only_into_articles_the_user_may_edit(client, reporter, item, publish_article, economy):
    elsewhere = publish_article(title="خبر في قسم لا يحرره", parent=economy)
    signed_in(client, reporter)
    assert "خبر في قسم لا يحرره" not in client.get(f"{DESK}{item.pk}/merge/").content.decode()
    response = client.post(f"{DESK}{item.pk}/merge/", {"article": elsewhere.pk, "next": DESK})
    assert response.status_code == 200 and "اختر خبراً منشوراً من القائمة." in response.content.decode()
    assert not ArticleNote.objects.exists()
    item.refresh_from_db()
    assert item.handled_at is None


def test_a_withdrawn_item_is_not_merged(client, editor, item, story):
    WireItem.objects.filter(pk=item.pk).update(withdrawn=True)
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/merge/", {"article": story.pk, "next": DESK})
    assert "سحبت الوكالة هذا الخبر" in response.content.decode()
    assert not ArticleNote.objects.exists()


# --- dismiss ----------------------------------------------------------------------------------


def test_dismiss_sets_the_item_aside_and_leaves_the_draft_alone(client, editor, item):
    revisions = item.article.revisions.count()
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/dismiss/", {"next": DESK})
    assert "تُرك «ارتفاع حصيلة ضحايا الفيضانات» دون نشر." in follow_messages(response)
    item.refresh_from_db()
    assert item.handled_by == editor
    assert not is_live(item.article) and item.article.revisions.count() == revisions
    assert not client.get(DESK + "results/?state=waiting").content.decode().count("data-wire-item=")


def test_actions_on_items_of_other_sections_are_not_found(client, reporter, reuters, economy):
    theirs = make_item(reuters, "خبر في الاقتصاد", economy)
    signed_in(client, reporter)
    for action in ("open", "publish", "dismiss", "merge"):
        assert client.post(f"{DESK}{theirs.pk}/{action}/", {"next": DESK}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.handled_at is None


def test_next_never_leads_off_site(client, editor, item):
    response = signed_in(client, editor).post(f"{DESK}{item.pk}/dismiss/", {"next": "https://evil.example/"})
    assert response["Location"] == DESK


def test_a_newer_version_after_publishing_goes_into_the_published_article(client, editor, item):
    article = ArticlePage.objects.get(pk=item.article_id)
    article.save_revision().publish()
    WireItem.objects.filter(pk=item.pk).update(
        alert=WireItem.UPDATED_AFTER_PUBLISH, times_updated=1, body_html="<p>ارتفعت الحصيلة إلى 50 شخصاً.</p>",
    )
    signed_in(client, editor)
    response = client.post(f"{DESK}{item.pk}/publish/", {"next": DESK})
    assert "منشور كما هو، ولا تغيير ينتظر النشر." in follow_messages(response)

    form = client.get(f"{DESK}{item.pk}/merge/").content.decode()
    first_option = form[form.index("<option"): form.index("</option>")]
    assert article.title in first_option
    response = client.post(f"{DESK}{item.pk}/merge/", {"article": article.pk, "next": DESK})
    assert "أُضيف التحديث إلى «ارتفاع حصيلة ضحايا الفيضانات» ونُشر." in follow_messages(response)
    assert ArticleNote.objects.get(page=article).text == "عمّان: ارتفعت الحصيلة إلى 50 شخصاً."
    assert "ارتفعت الحصيلة إلى 50 شخصاً." in Client().get(article.url).content.decode()
    item.refresh_from_db()
    assert item.article_id == article.pk and item.handled_at
    assert not client.get(DESK + "?state=alerts").content.decode().count("data-wire-item=")
