"""Fixtures for the comments tests: an article, a reader posting through the form, a moderator."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.contrib.frontend_cache.backends import BaseBackend

SITE = "http://testserver"
READER = {"name": "ليلى حداد", "email": "layla.private@example.org", "url": "", "body": "تحليل دقيق، شكراً لكم."}


@pytest.fixture(autouse=True)
def fresh_limits(fresh_limits):
    """Every comments test starts with no rate-limit counts (the suite's fixture, made automatic here)."""
    yield


@pytest.fixture
def article(publish_article):
    return publish_article(title="الحكومة تقر خطة لدعم المزارعين", paragraphs=("أقرت الحكومة خطة جديدة.",))


def form_token(article, age=60):
    """A token as the article page issued it ``age`` seconds ago (readers take a while to type)."""
    from khabar.comments.tokens import make_token

    return make_token(article.pk, issued_at=time.time() - age)


@pytest.fixture
def post_comment(client, article):
    """``post_comment(**fields)``: submit the form as a reader's browser would, from the article page."""

    def post(target=None, headers=None, remote_addr="203.0.113.7", **fields):
        target = target or article
        data = {**READER, "article": target.pk, "parent": "", "token": form_token(target), "homepage": ""}
        data.update(fields)
        headers = {"HTTP_ORIGIN": SITE, **(headers or {})}
        return client.post("/comments/post/", data, REMOTE_ADDR=remote_addr, **headers)

    return post


def make_comment(article, **fields):
    """A comment saved directly, as if it had come through the form earlier."""
    from khabar.comments.models import Comment, Status

    values = {"name": "قارئ", "email": "reader@example.org", "body": "تعليق", "status": Status.APPROVED, **fields}
    return Comment.objects.create(article=article, **values)


@pytest.fixture
def moderator(db):
    group, _ = Group.objects.get_or_create(name="مشرفو التعليقات")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="comments"),
        Permission.objects.get(codename="access_admin"),
    )
    user = get_user_model().objects.create_user("moderator", "moderator@newsroom.example", "password")
    user.groups.add(group)
    return user


class RecordingBackend(BaseBackend):
    """A frontend cache that remembers what it was asked to purge."""

    purged = []

    def purge(self, url):
        RecordingBackend.purged.append(url)


@pytest.fixture
def frontend_cache(settings):
    RecordingBackend.purged = []
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": "tests.comments.conftest.RecordingBackend"}}
    return RecordingBackend
