"""The wire desk's listing in the Wagtail admin, as a desk editor reads it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from khabar.news.models import Agency
from khabar.wire.models import WireItem

from .desk_setup import DESK, desk_member, make_group, make_item

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr class="wire-desk__item( wire-desk__copy)?" data-wire-item="(\d+)"')


def rows(html):
    """[(item id, is a copy under the row above)] in the order the desk shows them."""
    return [(int(pk), bool(copy)) for copy, pk in ROW.findall(html)]


@pytest.fixture
def afp(db):
    return Agency.objects.create(name="أ ف ب", credit="أ ف ب")


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def test_the_menu_leads_page_editors_to_the_desk_and_no_one_else(client, editor):
    client.force_login(editor)
    assert "الوارد من الوكالات" in client.get("/admin/").content.decode()
    assert client.get(DESK).status_code == 200

    group = Group.objects.create(name="مشرفو التعليقات فقط")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    moderator = get_user_model().objects.create_user("moderator", "m@newsroom.example", "x")
    moderator.groups.add(group)
    client.force_login(moderator)
    assert "الوارد من الوكالات" not in client.get("/admin/").content.decode()
    response = client.get(DESK)
    assert response.status_code in (302, 403)
    assert "رويترز" not in response.content.decode()


def test_a_duplicate_group_is_one_row_with_the_other_agencies_copies_under_it(desk, section, reuters, afp):
    first = make_item(reuters, "زلزال بقوة 6 درجات يضرب جنوب تركيا", section, age=timedelta(minutes=30))
    second = make_item(afp, "زلزال عنيف يهز جنوب تركيا", section, age=timedelta(minutes=10))
    make_group(first, second)
    older = make_item(reuters, "البرلمان يقر الموازنة", section, age=timedelta(hours=2))
    newest = make_item(afp, "افتتاح معرض الكتاب", section, age=timedelta(minutes=2))

    html = desk.get(DESK).content.decode()

    # Newest story first; a story sits where its newest copy arrived; the first item leads its group.
    assert rows(html) == [(newest.pk, False), (first.pk, False), (second.pk, True), (older.pk, False)]
    copy_row = html[html.index(f'data-wire-item="{second.pk}"'):]
    copy_row = copy_row[: copy_row.index("</tr>")]
    assert "أ ف ب" in copy_row and "زلزال عنيف يهز جنوب تركيا" in copy_row
    assert "نسختان من الخبر" in html


def test_badges_tell_updated_alerted_withdrawn_and_handled_items_apart(desk, section, editor, reuters):
    updated = make_item(reuters, "حصيلة الفيضانات ترتفع", section, times_updated=2)
    alerted = make_item(reuters, "الحكومة تعلن التعديل الوزاري", section, alert=WireItem.UPDATED_AFTER_PUBLISH)
    withdrawn = make_item(reuters, "خبر سحبته الوكالة", section, withdrawn=True, alert=WireItem.WITHDRAWN)
    handled = make_item(reuters, "خبر تعامل معه الديسك", section)
    WireItem.objects.filter(pk=handled.pk).update(handled_at=timezone.now(), handled_by=editor)

    html = desk.get(DESK).content.decode()

    def row(item):
        start = html.index(f'data-wire-item="{item.pk}"')
        return html[start: html.index("</tr>", start)]

    assert "محدّث ×2" in row(updated) and "لم يُعالج بعد" in row(updated)
    assert "وصلت نسخة أحدث بعد النشر" in row(alerted)
    assert "سحبته الوكالة" in row(withdrawn)
    assert "انشر كما هو" not in row(withdrawn)
    assert "عولج" in row(handled) and "editor" in row(handled) and "لم يُعالج بعد" not in row(handled)
    assert "تجاهل" not in row(handled) and "مسودة" in row(handled)


def test_the_item_text_is_shown_sanitised(desk, section, reuters):
    item = make_item(reuters, "خبر بنص ملغوم", section)
    WireItem.objects.filter(pk=item.pk).update(body_html='<p onclick="steal()">نص الوكالة</p><script>alert(1)</script>')
    html = desk.get(DESK).content.decode()
    assert "نص الوكالة" in html
    assert "steal()" not in html and "<script>alert(1)" not in html


def test_filters_by_agency_section_time_and_state(desk, section, economy, editor, reuters, afp):
    world_reuters = make_item(reuters, "قمة في جنيف", section, age=timedelta(minutes=20))
    world_afp = make_item(afp, "انتخابات في البرتغال", section, age=timedelta(hours=3))
    money = make_item(reuters, "ارتفاع أسعار النفط", economy, age=timedelta(hours=30))
    handled = make_item(afp, "خبر عولج", economy, age=timedelta(minutes=40))
    WireItem.objects.filter(pk=handled.pk).update(handled_at=timezone.now(), handled_by=editor)

    def shown(query):
        return {pk for pk, _ in rows(desk.get(DESK + query).content.decode())}

    assert shown("") == {world_reuters.pk, world_afp.pk, money.pk, handled.pk}
    assert shown(f"?agency={reuters.pk}") == {world_reuters.pk, money.pk}
    assert shown(f"?section={economy.pk}") == {money.pk, handled.pk}
    assert shown("?window=1") == {world_reuters.pk, handled.pk}
    assert shown("?window=6") == {world_reuters.pk, world_afp.pk, handled.pk}
    assert shown("?window=48") == shown("")
    assert shown("?state=waiting") == {world_reuters.pk, world_afp.pk, money.pk}
    assert shown("?state=handled") == {handled.pk}
    assert shown(f"?state=waiting&agency={afp.pk}&window=24") == {world_afp.pk}
    # The results URL the filter drawer refreshes the listing from answers the same way.
    results = desk.get(DESK + f"results/?agency={afp.pk}").content.decode()
    assert {pk for pk, _ in rows(results)} == {world_afp.pk, handled.pk}


def test_an_alert_after_handling_puts_the_item_back_in_the_queue(desk, section, editor, reuters):
    item = make_item(reuters, "الوكالة تصحح رقم الضحايا", section)
    WireItem.objects.filter(pk=item.pk).update(handled_at=timezone.now() - timedelta(hours=1), handled_by=editor)
    assert not rows(desk.get(DESK + "?state=waiting").content.decode())

    WireItem.objects.filter(pk=item.pk).update(alert=WireItem.UPDATED_AFTER_PUBLISH, changed_at=timezone.now())
    assert rows(desk.get(DESK + "?state=waiting").content.decode()) == [(item.pk, False)]
    assert rows(desk.get(DESK + "?state=alerts").content.decode()) == [(item.pk, False)]


def test_a_reporter_sees_only_the_sections_they_work_in(client, section, economy, reuters):
    reporter = desk_member("reporter", [section], permissions=("add", "change"))
    mine = make_item(reuters, "خبر من قسم العالم", section)
    theirs = make_item(reuters, "خبر سري من قسم الاقتصاد", economy)
    make_group(mine, theirs)
    client.force_login(reporter)

    html = client.get(DESK).content.decode()
    assert rows(html) == [(mine.pk, False)]
    assert "خبر سري من قسم الاقتصاد" not in html
    assert f'value="{economy.pk}"' not in html  # the section filter offers only their sections
    assert client.get(DESK + f"?section={economy.pk}").status_code == 200
    assert rows(client.get(DESK + "results/?state=waiting").content.decode()) == [(mine.pk, False)]
    assert client.post(f"{DESK}{theirs.pk}/dismiss/").status_code == 404


def test_pages_of_stories(desk, section, reuters):
    # Items without a draft belong to the section their agency files into.
    reuters.feed_section = section
    reuters.save()
    for number in range(55):
        WireItem.objects.create(agency=reuters, guid=f"urn:page:{number}", headline=f"خبر رقم {number}")
    first = rows(desk.get(DESK).content.decode())
    second = rows(desk.get(DESK + "?p=2").content.decode())
    assert len(first) == 50 and len(second) == 5
    assert not {pk for pk, _ in first} & {pk for pk, _ in second}


# The admin around any page costs 10 queries here (session, user, two-factor device, permissions,
# menu, user profile, locales); the desk adds 5: its sections and agencies, the count of stories,
# the stories, their other copies.
DESK_QUERIES = 15


def test_fifty_items_take_a_bounded_number_of_queries(desk, section, economy, reuters, afp, django_assert_max_num_queries,
                                                      django_assert_num_queries):
    items = [
        make_item(reuters if n % 2 else afp, f"خبر وارد رقم {n}", section if n % 3 else economy,
                  age=timedelta(minutes=n), times_updated=n % 4, alert=WireItem.UPDATED_AFTER_PUBLISH if n % 7 == 0 else "")
        for n in range(50)
    ]
    for n in range(0, 20, 2):
        make_group(items[n], items[n + 1])
    items[5].article.save_revision().publish()  # a live draft: its link on the public site costs nothing more
    desk.get(DESK)  # Wagtail's per-process caches warm up
    with django_assert_num_queries(DESK_QUERIES):
        html = desk.get(DESK).content.decode()
    assert len(rows(html)) == 50
    with django_assert_max_num_queries(DESK_QUERIES):
        html = desk.get(DESK + f"?state=waiting&agency={reuters.pk}&section={section.pk}&window=48").content.decode()
    assert rows(html)

    # The same number for 4 items as for 50.
    WireItem.objects.exclude(pk__in=[item.pk for item in items[:4]]).delete()
    with django_assert_num_queries(DESK_QUERIES):
        html = desk.get(DESK).content.decode()
    assert len(rows(html)) == 4


def test_the_dashboard_counts_waiting_items_and_open_alerts(desk, section, editor, reuters):
    make_item(reuters, "خبر أول", section)
    make_item(reuters, "خبر ثان", section, alert=WireItem.WITHDRAWN, withdrawn=True)
    make_item(reuters, "خبر ثالث", section)
    done = make_item(reuters, "خبر عولج", section)
    WireItem.objects.filter(pk=done.pk).update(handled_at=timezone.now(), handled_by=editor)

    html = desk.get("/admin/").content.decode()
    assert "3 أخبار لم يُعالج بعد" in html
    assert "تنبيه واحد" in html
    assert f'href="{DESK}?state=waiting"' in html and f'href="{DESK}?state=alerts"' in html
