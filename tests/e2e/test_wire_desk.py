"""The wire desk in a real browser: a duplicate story from two agencies, a filter, «انشر كما هو» to the site.

Screenshots of the desk at 1280 px and 390 px land in test-artifacts/screenshots/.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "kalimat-sirr-lil-desk"
PHONE = {"width": 390, "height": 844}
QUAKE = "زلزال بقوة 6 درجات يضرب جنوب تركيا"
QUAKE_AFP = "زلزال عنيف يهز جنوب تركيا ويوقع إصابات"
BUDGET = "البرلمان يقر الموازنة العامة للعام المقبل"


@pytest.fixture
def desk_story(live_server, django_db_serialized_rollback, home, section, publish_article):
    """Two agencies' copies of one story (a group), another item, and a desk editor who may publish."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from khabar.news.models import Agency
    from tests.wire.desk_setup import make_group, make_item

    publish_article(title="خبر منشور سابقاً", paragraphs=("نص خبر منشور.",))
    reuters = Agency.objects.create(name="رويترز", credit="رويترز")
    afp = Agency.objects.create(name="أ ف ب", credit="أ ف ب")
    quake = make_item(
        reuters, QUAKE, section, dateline="أنقرة", age=timedelta(minutes=25), times_updated=1,
        paragraphs=("ضرب زلزال بقوة 6 درجات على مقياس ريختر جنوب تركيا صباح اليوم.",
                    "وقالت إدارة الكوارث إن فرق الإنقاذ توجهت إلى المناطق المتضررة."),
    )
    copy = make_item(afp, QUAKE_AFP, section, dateline="إسطنبول", age=timedelta(minutes=12))
    make_group(quake, copy)
    make_item(reuters, BUDGET, section, age=timedelta(hours=3))

    group = Group.objects.create(name="الديسك")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in ("add", "change", "publish"):
        GroupPagePermission.objects.create(group=group, page=section, permission_type=permission)
    editor = get_user_model().objects.create_user("desk", "desk@newsroom.example", PASSWORD, first_name="منى")
    editor.groups.add(group)
    return {"quake": quake, "copy": copy, "afp": afp, "editor": editor}


def log_in(page, user):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def row(page, headline):
    return page.locator("tr.wire-desk__item", has_text=headline)


def test_the_desk_groups_filters_and_publishes(desk_story, open_page):
    page = open_page(viewport=DESKTOP)
    log_in(page, desk_story["editor"])

    # The dashboard counts what waits and leads to the desk.
    panel = page.get_by_role("region", name="الوارد من الوكالات")
    expect(panel).to_contain_text("3 أخبار لم يُعالج بعد")
    panel.get_by_role("link", name="3 أخبار لم يُعالج بعد").click()
    page.wait_for_url("**/admin/wire/?state=waiting")

    # One row for the story, the other agency's copy under it, then the older item.
    items = page.locator("tr.wire-desk__item")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text(QUAKE)
    expect(items.nth(0)).to_contain_text("نسختان من الخبر")
    expect(items.nth(0)).to_contain_text("محدّث")
    expect(items.nth(1)).to_have_class("wire-desk__item wire-desk__copy")
    expect(items.nth(1)).to_contain_text("أ ف ب")
    expect(items.nth(2)).to_contain_text(BUDGET)
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    screenshot(page, "wire-desk-desktop")

    # A filter from the header's drawer: only AFP's copy stays.
    page.locator(".w-slim-header-action-button").filter(has=page.locator("svg.icon-sliders")).click()
    page.locator("#filters-drilldown").get_by_role("button", name="الوكالة").click()
    page.locator("#id_agency").select_option(label="أ ف ب")
    expect(page.locator("tr.wire-desk__item")).to_have_count(1)
    expect(page.locator("tr.wire-desk__item")).to_contain_text(QUAKE_AFP)
    assert f"agency={desk_story['afp'].pk}" in page.url

    # «انشر كما هو» on Reuters' copy, from the whole list.
    page.goto("/admin/wire/")
    row(page, QUAKE).get_by_role("button", name="انشر كما هو").click()
    expect(page.locator(".messages")).to_contain_text(f"نُشر «{QUAKE}».")
    expect(row(page, QUAKE)).to_contain_text("منشور في الموقع")
    expect(row(page, QUAKE)).to_contain_text("عولج")
    expect(row(page, QUAKE).get_by_role("button", name="انشر كما هو")).to_have_count(0)

    page.set_viewport_size(PHONE)
    screenshot(page, "wire-desk-mobile")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the desk scrolls sideways by {overflow}px on a phone"

    # The article is on the public site.
    reader = open_page()
    from khabar.news.models import ArticlePage

    reader.goto(ArticlePage.objects.get(pk=desk_story["quake"].article_id).url)
    expect(reader.locator("h1")).to_contain_text(QUAKE)
    expect(reader.locator("article.article")).to_contain_text("فرق الإنقاذ توجهت إلى المناطق المتضررة")
