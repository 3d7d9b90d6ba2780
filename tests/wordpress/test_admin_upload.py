"""The admin's upload page: a superuser brings a WordPress export in without a shell, and watches it run."""

import html
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from khabar.comments.models import Comment, Status
from khabar.news.models import ArticlePage
from khabar.wordpress.models import ImportRun
from khabar.wordpress.tasks import run_import
from tests.wordpress import builder

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/import/wordpress/"
MENU_LABEL = "الاستيراد من ووردبريس"
NOT_WXR = "هذا ليس ملف تصدير من ووردبريس"


@pytest.fixture
def chief(client):
    user = get_user_model().objects.create_superuser("chief", "chief@newsroom.example", "password")
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    """A desk editor: may use the admin and edit pages, but is no superuser."""
    user = get_user_model().objects.create_user("desk", "desk@newsroom.example", "password")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def small_export():
    """Two posts; the first has a comment, a reply to it and one comment awaiting moderation."""
    return builder.export(
        builder.post(
            10, "وزير الخارجية يصل إلى عمّان",
            tags=(("siyasa", "سياسة"),),
            comments=[
                builder.comment(1, "تعليق أول على الخبر"),
                builder.comment(2, "رد على التعليق الأول", parent=1),
                builder.comment(3, "تعليق بانتظار المراجعة", approved="0"),
            ],
        ),
        builder.post(11, "افتتاح معرض الكتاب الدولي"),
    )


def upload(client, content, name="export.xml", media=""):
    data = {"export": SimpleUploadedFile(name, content.encode("utf-8") if isinstance(content, str) else content)}
    if media:
        data["media"] = media
    return client.post(UPLOAD, data)


def report_rows(page_html):
    """The run page's report table as {kind: [new, updated, unchanged, skipped]}."""
    table = re.search(r'<table class="listing import-report">(.*?)</table>', page_html, re.S)
    assert table, "the run page shows no report table"
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", " ", cell)).strip()
                 for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def menu_labels(page_html):
    """The labels of the admin's sidebar menu, which Wagtail renders as JSON for its sidebar script."""
    script = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page_html, re.S)
    assert script, "no sidebar on the admin page"
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append((node["label"], node.get("url", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(script.group(1)))
    return labels


def test_a_superuser_finds_the_page_under_settings(client, chief):
    assert (MENU_LABEL, UPLOAD) in menu_labels(client.get("/admin/").content.decode())
    response = client.get(UPLOAD)
    assert response.status_code == 200
    page = response.content.decode()
    assert MENU_LABEL in page
    assert 'type="file" name="export"' in page and "ابدأ الاستيراد" in page


def test_a_superuser_uploads_an_export_and_sees_the_report(client, chief, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, small_export(), name="old-site.xml")
    assert len(callbacks) >= 1
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{UPLOAD}{run.pk}/"
    assert run.created_by == chief and run.original_name == "old-site.xml"

    page = client.get(response["Location"]).content.decode()
    assert re.search(r"الحالة: <strong>اكتمل</strong>", page)
    assert "<progress" not in page and 'http-equiv="refresh"' not in page  # finished: no more reloading
    rows = report_rows(page)
    assert rows["الأخبار"] == ["2", "0", "0", "0"]
    assert rows["التعليقات"] == ["3", "0", "0", "0"]
    assert rows["الأقسام"] == ["1", "0", "0", "0"]
    assert rows["الكتّاب"] == ["1", "0", "0", "0"]
    assert rows["الوسوم"] == ["1", "0", "0", "0"]

    assert sorted(ArticlePage.objects.filter(live=True).values_list("title", flat=True)) == [
        "افتتاح معرض الكتاب الدولي", "وزير الخارجية يصل إلى عمّان",
    ]
    article = ArticlePage.objects.get(title="وزير الخارجية يصل إلى عمّان")
    assert Comment.objects.get(body="رد على التعليق الأول").parent.body == "تعليق أول على الخبر"
    assert Comment.objects.get(body="تعليق بانتظار المراجعة").status == Status.PENDING
    assert client.get(article.url).status_code == 200

    # The upload page lists the run, with its status, for coming back to it later.
    listing = client.get(UPLOAD).content.decode()
    assert f'href="{UPLOAD}{run.pk}/">old-site.xml</a>' in listing and "اكتمل" in listing


def test_uploading_the_same_export_again_creates_nothing_new(client, chief, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, small_export())
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, small_export())
    rows = report_rows(client.get(response["Location"]).content.decode())
    assert rows["الأخبار"] == ["0", "0", "2", "0"]
    assert rows["التعليقات"] == ["0", "0", "3", "0"]
    assert ArticlePage.objects.count() == 2 and Comment.objects.count() == 3


def test_an_rss_feed_that_is_not_an_export_fails_with_the_reason(client, chief, django_capture_on_commit_callbacks):
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>خلاصة أخبار</title></channel></rss>'
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, feed, name="feed.xml")
    page = client.get(response["Location"]).content.decode()
    assert re.search(r"الحالة: <strong>تعذّر</strong>", page)
    assert 'class="help-block help-critical"' in page and "wp:wxr_version" in page
    assert ArticlePage.objects.count() == 0


@pytest.mark.parametrize(
    "name, content",
    [
        ("export.xml", "<!DOCTYPE html><html lang='ar'><body><p>صفحة ويب حُفظت باسم خاطئ</p></body></html>"),
        ("export.txt", "ملاحظات عن الموقع القديم، لا تصدير فيها."),
        ("export.txt", small_export()),  # a real export with the wrong name is refused too: the page asks for .xml
    ],
    ids=["html-named-xml", "text-file", "export-named-txt"],
)
def test_a_file_that_is_not_an_export_gets_the_error_beside_the_field(client, chief, name, content):
    response = upload(client, content, name=name)
    assert response.status_code == 200
    page = response.content.decode()
    field = re.search(
        r'<div[^>]*class="[^"]*w-field__wrapper[^"]*"[^>]*>(?:(?!w-field__wrapper).)*?name="export"', page, re.S
    )
    assert field, "the export field is on the page"
    # Wagtail puts a field's errors inside that field's own wrapper, before the input.
    wrapper = page[field.start():page.index('name="export"', field.start())]
    assert NOT_WXR in wrapper
    assert page.count(NOT_WXR) == 1
    assert ImportRun.objects.count() == 0 and ArticlePage.objects.count() == 0


def test_a_run_whose_file_has_gone_fails_with_the_reason_instead_of_running_forever(client, chief):
    run = ImportRun.objects.create(file="/nowhere/gone.xml", original_name="gone.xml", created_by=chief)
    run_import.enqueue(run.pk)
    page = client.get(f"{UPLOAD}{run.pk}/").content.decode()
    assert re.search(r"الحالة: <strong>تعذّر</strong>", page)
    assert "ملف التصدير غير موجود" in page
    assert 'http-equiv="refresh"' not in page


def test_no_file_at_all_is_asked_for(client, chief):
    page = client.post(UPLOAD, {"media": ""}).content.decode()  # what the browser sends with no file chosen
    assert "اختر ملف التصدير أولاً." in page
    assert ImportRun.objects.count() == 0


def test_a_run_still_going_shows_its_progress_and_refreshes(client, chief):
    run = ImportRun.objects.create(file="/nowhere.xml", original_name="big-site.xml", status=ImportRun.Status.RUNNING,
                                   done=120, total=400, created_by=chief)
    page = client.get(f"{UPLOAD}{run.pk}/").content.decode()
    assert re.search(r"الحالة: <strong>جارٍ</strong>", page)
    assert "120 من 400 منشوراً" in page
    assert re.search(r'<progress max="100" value="30">', page)
    head = page[:page.index("</head>")]
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', head)


def test_a_queued_run_refreshes_too(client, chief):
    run = ImportRun.objects.create(file="/nowhere.xml", original_name="queued.xml", created_by=chief)
    page = client.get(f"{UPLOAD}{run.pk}/").content.decode()
    assert re.search(r"الحالة: <strong>في الانتظار</strong>", page)
    assert "<progress" in page and 'http-equiv="refresh"' in page


def test_an_editor_who_is_not_a_superuser_is_kept_out(client, editor, django_capture_on_commit_callbacks):
    assert all(label != MENU_LABEL for label, _ in menu_labels(client.get("/admin/").content.decode()))
    run = ImportRun.objects.create(file="/nowhere.xml", original_name="secret.xml")
    for url in (UPLOAD, f"{UPLOAD}{run.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert MENU_LABEL not in response.content.decode()
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, small_export())
    assert response.status_code in (302, 403)
    assert ImportRun.objects.count() == 1 and ArticlePage.objects.count() == 0


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, db):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "/login/" in response["Location"]
