"""What the desk tests build by hand: agency items with their drafts, story groups, desk staff.

The ingest makes these in production; here each test makes exactly the rows it needs.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission
from wagtail.rich_text import RichText

PASSWORD = "kalimat-sirr-lil-desk"
DESK = "/admin/wire/"


def make_draft(section, title, paragraphs):
    """A draft article as the ingest leaves it: never live, one revision."""
    from khabar.news.models import ArticlePage

    page = ArticlePage(title=title, live=False, body=[("text", RichText("".join(f"<p>{p}</p>" for p in paragraphs)))])
    section.add_child(instance=page)
    page.save_revision()
    return page


def make_item(agency, headline, section=None, *, paragraphs=None, group=None, age=timedelta(minutes=5), draft=True,
              **fields):
    """A wire item received ``age`` ago, with its draft in ``section`` unless ``draft`` is False."""
    from khabar.wire.models import WireItem

    paragraphs = paragraphs or (f"{headline}، بحسب ما أفادت {agency.name}.", "فقرة ثانية من نص الوكالة.")
    page = make_draft(section, headline, paragraphs) if draft else None
    item = WireItem.objects.create(
        agency=agency, guid=f"urn:{agency.pk}:{headline}", headline=headline,
        body_html="".join(f"<p>{p}</p>" for p in paragraphs), group=group, article=page, **fields,
    )
    moment = timezone.now() - age
    WireItem.objects.filter(pk=item.pk).update(received_at=moment, changed_at=moment)
    item.refresh_from_db()
    return item


def make_group(*items):
    """Put ``items`` in one story group, as the near-duplicate check would."""
    from khabar.wire.models import StoryGroup, WireItem

    group = StoryGroup.objects.create()
    WireItem.objects.filter(pk__in=[item.pk for item in items]).update(group=group)
    for item in items:
        item.refresh_from_db()
    return group


def desk_member(username, sections, permissions=("add", "change", "publish")):
    """A staff account whose group may do ``permissions`` on the pages of ``sections``."""
    group = Group.objects.create(name=f"ديسك {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for section in sections:
        for permission in permissions:
            GroupPagePermission.objects.create(group=group, page=section, permission_type=permission)
    user = get_user_model().objects.create_user(username, f"{username}@newsroom.example", PASSWORD)
    user.groups.add(group)
    return user
