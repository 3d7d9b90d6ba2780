"""The newsroom out of the box: reporters submit, desk editors approve and publish, moderators
moderate comments and nothing else. Everything through the admin, as each of them works."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowState

from khabar.news import workflow
from khabar.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def member(group_name, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def article_form(title, slug, **extra):
    return {
        "title": title, "slug": slug, "summary": "", "dateline": "", "body-count": "0",
        "notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0", "notes-MIN_NUM_FORMS": "0", "notes-MAX_NUM_FORMS": "1000",
        "tags": "", "hero_caption": "", "hero_credit": "", "source_name": "", "source_url": "", **extra,
    }


def test_a_new_site_has_the_three_groups_and_the_workflow_on_its_home_page(home, section):
    assert set(Group.objects.values_list("name", flat=True)) >= {"المحررون", "رؤساء الأقسام", "المشرفون"}
    assigned = WorkflowPage.objects.get(page=home).workflow
    assert assigned.name == "من المحرر إلى رئيس القسم" and assigned.active
    [task] = [t.specific for t in assigned.tasks]
    assert [g.name for g in task.groups.all()] == ["رؤساء الأقسام"]
    # Sections inherit it, today's and tomorrow's.
    assert section.get_workflow() == assigned
    from khabar.news.site_tree import get_or_create_section

    assert get_or_create_section(home, "رياضة").get_workflow() == assigned


def test_a_reporter_writes_and_submits_but_cannot_publish(client, home, section):
    client.force_login(member("المحررون", "reporter"))
    assert client.get(f"/admin/pages/add/news/articlepage/{section.pk}/").status_code == 200

    # Asking to publish only saves a draft: the reporter has no publish right.
    client.post(f"/admin/pages/add/news/articlepage/{section.pk}/", article_form("مسودة", "draft-story", **{"action-publish": "1"}))
    draft = ArticlePage.objects.get(slug="draft-story")
    assert not draft.live

    response = client.post(
        f"/admin/pages/add/news/articlepage/{section.pk}/", article_form("خبر للمراجعة", "for-review", **{"action-submit": "1"})
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="for-review")
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == "in_progress" and state.current_task_state.task.name == "موافقة رئيس القسم"
    # Nor can the reporter approve it.
    approve = f"/admin/pages/workflow/action/{page.pk}/approve/{state.current_task_state.pk}/"
    client.post(approve)
    page.refresh_from_db()
    assert not page.live
    # The dashboard opens for them, in Arabic.
    assert 'lang="ar"' in client.get("/admin/").content.decode()


def test_a_desk_editor_approves_and_the_story_goes_live(client, home, section):
    reporter, editor = member("المحررون", "reporter"), member("رؤساء الأقسام", "desk")
    client.force_login(reporter)
    client.post(f"/admin/pages/add/news/articlepage/{section.pk}/", article_form("خبر الميدان", "field-story", **{"action-submit": "1"}))
    page = ArticlePage.objects.get(slug="field-story")
    state = WorkflowState.objects.get(object_id=str(page.pk))

    client.force_login(editor)
    assert "خبر الميدان" in client.get("/admin/").content.decode()  # awaiting their review on the dashboard
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{state.current_task_state.pk}/")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200
    state.refresh_from_db()
    assert state.status == "approved"


def test_a_desk_editor_still_publishes_directly(client, home, section):
    client.force_login(member("رؤساء الأقسام", "desk"))
    response = client.post(
        f"/admin/pages/add/news/articlepage/{section.pk}/", article_form("عاجل من المكتب", "desk-story", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(slug="desk-story").live


def test_a_moderator_sees_the_comment_queue_and_no_page(client, home, section, publish_article):
    article = publish_article(title="خبر")
    client.force_login(member("المشرفون", "moderator"))
    assert client.get("/admin/snippets/comments/comment/").status_code == 200
    assert client.get("/admin/snippets/comments/blockedterm/").status_code == 200
    for url in (
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/add/news/articlepage/{section.pk}/",
        f"/admin/pages/{section.pk}/delete/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/admin/pages/" not in response.get("Location", "")
    response = client.post(f"/admin/pages/{article.pk}/edit/", article_form("تغيير", article.slug, **{"action-publish": "1"}))
    article.refresh_from_db()
    assert article.title == "خبر" and response.status_code in (302, 403)


def test_setting_up_again_changes_nothing_and_keeps_the_sites_own_choices(home, section):
    """The migration's work, run on a site that has it already (and where a group lost a right)."""
    reporters = Group.objects.get(name="المحررون")
    reporters.permissions.clear()  # an administrator's choice: ...
    counts = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count(), WorkflowPage.objects.count())
    workflow.set_up_newsroom(apps)
    workflow.set_up_newsroom(apps)
    after = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count(), WorkflowPage.objects.count())
    assert after == counts
    # ... is not undone beyond the admin access every group needs.
    assert list(reporters.permissions.values_list("codename", flat=True)) == ["access_admin"]


def test_an_existing_home_page_with_its_own_workflow_keeps_it(home):
    own = Workflow.objects.create(name="سير عمل الموقع", active=True)
    WorkflowPage.objects.filter(page=home).update(workflow=own)
    workflow.set_up_newsroom(apps)
    assert WorkflowPage.objects.get(page=home).workflow == own
