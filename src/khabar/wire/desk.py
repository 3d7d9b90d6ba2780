"""The wire desk without HTTP: which items a user sees, how they group into stories, and the desk's actions.

An item belongs to the section of its draft: a user sees it when Wagtail lets them edit that
draft (or, for an item without a draft, pages of the section its agency files into). Each
action checks the user's Wagtail permissions on the page it changes and marks the item handled.
Refusals a desk editor can act on raise ``DeskRefusal`` with an Arabic message; missing
permissions raise ``PermissionDenied`` (a 403).
"""

from dataclasses import dataclass, field
from datetime import timedelta

import nh3
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.actions.delete_page import DeletePageAction
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.rich_text import RichText

from khabar.arabic import CountedNoun, count_noun
from khabar.news.article_text import rich_text_paragraphs, shorten
from khabar.news.models import ArticlePage, SectionPage
from khabar.news.models.pages import ArticleNote, attach_sections
from khabar.wire.models import WireItem

NOTE_CHARS = 300  # an update note is a line or two above the body, not a second article
MERGE_CANDIDATES = 50
COPIES = CountedNoun("نسخة واحدة", "نسختان", "نسخ", "نسخة", "نسخة")

# An item still needs the desk: never handled, or an alert (new version, withdrawal) came after it was.
OPEN_ALERT = ~Q(alert=WireItem.NO_ALERT) & (Q(handled_at__isnull=True) | Q(handled_at__lt=F("changed_at")))
NEEDS_ATTENTION = Q(handled_at__isnull=True) | OPEN_ALERT


class DeskRefusal(Exception):
    """An action the desk may not take on this item, with the reason in Arabic for the editor."""


def page_permissions():
    return policy_registry.get_by_type(Page)


def can_use_desk(user):
    """Whether ``user`` edits pages anywhere, which is what working the desk takes."""
    return page_permissions().user_has_any_permission(user, {"add", "change", "publish"})


def editable_pages(user):
    """The pages ``user`` may change (their subtree permissions), as a queryset usable in a subquery."""
    return page_permissions().instances_user_has_any_permission_for(user, {"change"})


def visible_items(user):
    """The wire items ``user`` may see and act on."""
    items = WireItem.objects.all()
    if user.is_active and user.is_superuser:
        return items
    if not user.is_active:
        return items.none()
    pages = editable_pages(user).values("pk")
    return items.filter(Q(article__in=pages) | Q(article__isnull=True, agency__feed_section__in=pages))


def desk_sections(user):
    """The sections a user may filter the desk by: those they can edit in, in tree order."""
    sections = SectionPage.objects.order_by("path")
    if user.is_superuser:
        return sections
    return sections.filter(pk__in=editable_pages(user).values("pk"))


def in_section(items, section):
    """Items whose draft (or merged article) lies in ``section`` or below it."""
    return items.filter(article__path__startswith=section.path)


def received_within(items, hours):
    return items.filter(received_at__gte=timezone.now() - timedelta(hours=hours))


def story_leads(items):
    """One item per story, newest story first: a group's earliest item among ``items``, or a lone item.

    A story sorts by its newest copy, so a second agency's copy lifts it back to the top.
    """
    earlier_copy = items.filter(group=OuterRef("group")).filter(
        Q(received_at__lt=OuterRef("received_at")) | Q(received_at=OuterRef("received_at"), pk__lt=OuterRef("pk"))
    )
    newest_copy = items.filter(group=OuterRef("group")).order_by("-received_at").values("received_at")[:1]
    return (
        items.filter(Q(group__isnull=True) | ~Exists(earlier_copy))
        .annotate(story_latest=Coalesce(Subquery(newest_copy), F("received_at")))
        .order_by("-story_latest", "-pk")
    )


@dataclass
class Story:
    """A row of the desk: the story's first item and the other copies (other agencies, later items)."""

    lead: WireItem
    copies: list = field(default_factory=list)

    @property
    def copies_label(self):
        """"3 نسخ" when other copies sit under the lead, else ""."""
        return count_noun(len(self.copies) + 1, COPIES) if self.copies else ""


def stories(leads, items, user, sections=()):
    """The desk rows for a page of ``leads``: their copies among ``items``, sections and permissions attached.

    A fixed number of queries whatever the number of rows; ``sections`` already at hand save one.
    """
    related = ("agency", "article", "handled_by")
    leads = list(leads)
    group_ids = {lead.group_id for lead in leads if lead.group_id}
    lead_ids = [lead.pk for lead in leads]
    copies = list(
        items.filter(group__in=group_ids).exclude(pk__in=lead_ids).select_related(*related).order_by("received_at", "pk")
    ) if group_ids else []
    rows = {lead.group_id or -lead.pk: Story(lead) for lead in leads}
    for copy in copies:
        rows[copy.group_id].copies.append(copy)
    describe(leads + copies, user, sections)
    return list(rows.values())


def describe(items, user, sections=()):
    """Set what the desk shows about each item: its draft's section, state and what ``user`` may do.

    Sections come from ``sections`` when there, else in one query for the rest.
    """
    by_path = {section.path: section for section in sections}
    articles = [item.article for item in items if item.article]
    for article in articles:
        if article.path[: -Page.steplen] in by_path:
            article.__dict__["section"] = by_path[article.path[: -Page.steplen]]
    attach_sections(article for article in articles if "section" not in article.__dict__)
    for item in items:
        article = item.article
        item.draft = article
        # Sanitised on the way in; cleaned again here, as the admin is the last place for a stray tag to hide.
        item.body_markup = mark_safe(nh3.clean(item.body_html))
        item.is_handled = bool(item.handled_at) and not (item.alert and item.handled_at < item.changed_at)
        item.section = getattr(article, "section", None) if article else None
        tester = article.permissions_for_user(user) if article else None
        item.can_edit = bool(tester and tester.can_edit())
        item.can_publish = bool(
            tester and tester.can_publish() and not item.withdrawn and (not article.live or article.has_unpublished_changes)
        )


def counts(user):
    """(items needing the desk, open alerts) among what ``user`` sees, in one query."""
    totals = visible_items(user).aggregate(
        waiting=Count("pk", filter=NEEDS_ATTENTION), alerts=Count("pk", filter=OPEN_ALERT)
    )
    return totals["waiting"], totals["alerts"]


# --- actions -----------------------------------------------------------------------------


def mark_handled(item, user):
    """Record who dealt with ``item`` and when; ``changed_at`` (the agency's last change) stays as it was."""
    item.handled_at = timezone.now()
    item.handled_by = user
    item.save(update_fields=["handled_at", "handled_by", "article"])


def _draft(item):
    if item.article_id is None:
        raise DeskRefusal("لا مسودة لهذا الخبر: ادمجه في خبر منشور أو تجاهله.")
    return item.article.specific


def _refuse_if_locked(page, user):
    lock = page.get_lock()
    if lock and lock.for_user(user):
        raise DeskRefusal(f"«{page.title}» مقفل للتحرير عند زميل؛ جرّب بعد أن يفتحه.")


def open_for_editing(item, user):
    """The draft to edit in Wagtail's editor; the item counts as handled from here on."""
    draft = _draft(item)
    if not draft.permissions_for_user(user).can_edit():
        raise PermissionDenied
    mark_handled(item, user)
    return draft


def publish_as_is(item, user):
    """Publish the draft's latest revision unchanged, for users who may publish it. Returns the live page."""
    draft = _draft(item)
    if not draft.permissions_for_user(user).can_publish():
        raise PermissionDenied
    if item.withdrawn:
        raise DeskRefusal("سحبت الوكالة هذا الخبر، فلا يُنشر.")
    _refuse_if_locked(draft, user)
    revision = draft.get_latest_revision()
    if revision is None or (draft.live and not draft.has_unpublished_changes):
        raise DeskRefusal(f"«{draft.title}» منشور كما هو، ولا تغيير ينتظر النشر.")
    with transaction.atomic():
        revision.publish(user=user)
        mark_handled(item, user)
    draft.refresh_from_db()
    return draft


def dismiss(item, user):
    """Set the item aside without touching any page."""
    if item.article_id and not item.article.permissions_for_user(user).can_edit():
        raise PermissionDenied
    mark_handled(item, user)


def merge_candidates(user, item=None):
    """Live articles ``user`` may add an update to, newest first.

    The article the item already went into (a newer version arrived after publishing) or its
    story group's article leads the list.
    """
    articles = ArticlePage.objects.live().order_by("-first_published_at", "-id")
    if not user.is_superuser:
        articles = articles.filter(pk__in=editable_pages(user).values("pk"))
    preferred = None
    if item is not None:
        preferred = item.article_id if item.article and item.article.live else (item.group_id and item.group.article_id)
    if preferred:
        is_preferred = ExpressionWrapper(Q(pk=preferred), output_field=BooleanField())
        articles = articles.annotate(is_preferred=is_preferred).order_by("-is_preferred", "-first_published_at", "-id")
    return articles


def item_paragraphs(item):
    """The item's paragraphs as plain text, the dateline leading the first as the agency filed it."""
    paragraphs = rich_text_paragraphs(item.body_html)
    if paragraphs and item.dateline and not paragraphs[0].startswith(item.dateline):
        paragraphs[0] = f"{item.dateline}: {paragraphs[0]}"
    return paragraphs


@dataclass
class MergeResult:
    article: ArticlePage
    published: bool
    draft_deleted: bool
    kept_pending_edits: bool


def merge_into(item, article, user):
    """Add ``item`` to the published ``article`` as an update: a dated «تحديث» note and its paragraphs.

    The update is published when ``user`` may publish and the article has no unpublished edits of
    someone else's (those are kept, never published behind their author's back: the update joins
    them as a draft). Otherwise it is saved as a draft revision and sent to the page's workflow.
    The item's own draft goes when it was never published, no other item uses it and Wagtail lets
    ``user`` delete it; otherwise it stays, unpublished.
    """
    article = article.specific
    permissions = article.permissions_for_user(user)
    if not article.live:
        raise DeskRefusal("الدمج في خبر منشور فقط.")
    if not permissions.can_edit():
        raise PermissionDenied
    if item.withdrawn:
        raise DeskRefusal("سحبت الوكالة هذا الخبر، فلا يُضاف إلى خبر منشور.")
    if item.article_id and item.article_id != article.pk and not item.article.permissions_for_user(user).can_edit():
        raise PermissionDenied
    _refuse_if_locked(article, user)
    paragraphs = item_paragraphs(item)
    if not paragraphs:
        raise DeskRefusal("لا نص في هذا الخبر يُضاف.")

    pending_edits = article.has_unpublished_changes
    updated = article.get_latest_revision_as_object() if pending_edits else article
    updated.notes.add(ArticleNote(kind=ArticleNote.UPDATE, noted_at=timezone.now(), text=shorten(paragraphs[0], NOTE_CHARS)))
    updated.body.append(("text", RichText("".join(f"<p>{escape(p)}</p>" for p in paragraphs))))
    publish = permissions.can_publish() and not pending_edits

    with transaction.atomic():
        revision = updated.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
        else:
            _submit_for_moderation(article, user)
        own_draft = item.article if item.article_id and item.article_id != article.pk else None
        item.article = article
        mark_handled(item, user)
        draft_deleted = own_draft is not None and _delete_unused_draft(own_draft, user)
    return MergeResult(article=article, published=publish, draft_deleted=draft_deleted, kept_pending_edits=pending_edits)


def _submit_for_moderation(page, user):
    """Send the page to its Wagtail workflow, as «أرسل للمراجعة» in the editor does, when it has one."""
    page = Page.objects.get(pk=page.pk).specific  # the workflow reads the revision just saved
    workflow = page.get_workflow()
    if workflow and not page.workflow_in_progress:
        workflow.start(page, user)


def _delete_unused_draft(draft, user):
    draft = draft.specific
    if draft.live or draft.first_published_at or WireItem.objects.filter(article=draft).exists():
        return False
    try:
        DeletePageAction(draft, user=user).execute()
    except PermissionDenied:
        return False
    return True
