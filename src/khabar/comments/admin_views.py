"""The moderation queue in the Wagtail admin: a snippet listing with status counts and bulk actions.

Moderators are users with the "change comment" permission (give a group
"Can change تعليق" and "Can delete تعليق" in Settings → Groups). They see the
commenter's e-mail here, and only here.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from khabar.arabic import count_noun
from khabar.comments.models import BlockedTerm, Comment, Status
from khabar.comments.text import COMMENTS

LIST_URL_NAME = "wagtailsnippets_comments_comment:list"


def status_counts():
    """{status: count} for every status, in one query."""
    totals = Comment.objects.aggregate(
        **{status.value: Count("pk", filter=Q(status=status.value)) for status in Status}
    )
    return [(status, totals[status.value]) for status in Status]


class CommenterColumn(Column):
    """Name with the staff badge; the e-mail under it (moderators only ever see it here)."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        badge = mark_safe(' <span class="w-status w-status--primary">فريق التحرير</span>') if instance.is_staff_reply else ""
        context["value"] = format_html("<bdi>{}</bdi>{}<br><small dir=\"ltr\">{}</small>", instance.name, badge, instance.email)
        return context


class ArticleColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', instance.get_absolute_url(), instance.article.title
        )
        return context


class CommentIndexView(IndexView):
    """Newest first, pending first when unfiltered, with the count of each status above the list."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("article")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        list_url = reverse(LIST_URL_NAME)
        context["status_counts"] = [
            (status, count, f"{list_url}?status={status.value}", self.request.GET.get("status") == status.value)
            for status, count in status_counts()
        ]
        return context


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "التعليقات"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = CommentIndexView
    index_template_name = "comments/admin/index.html"
    list_display = [
        "excerpt",
        CommenterColumn("name", label="المعلّق"),
        ArticleColumn("article", label="الخبر"),
        "status",
        DateColumn("created", label="التاريخ", sort_key="created"),
    ]
    list_filter = ["status", "is_staff_reply", "created"]
    search_fields = ["name", "email", "body", "article__title"]
    search_backend_name = None
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = [
        "article", "parent", "name", "email", "url", "body", "status", "is_staff_reply", "created",
        "check_notes", "ip_hash", "user_agent",
    ]
    copy_view_enabled = False
    panels = [
        FieldPanel("article"),
        FieldPanel("body"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("name"), FieldPanel("email")]), FieldPanel("url")], heading="المعلّق"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("is_staff_reply")]),
    ]


class BlockedTermViewSet(SnippetViewSet):
    model = BlockedTerm
    icon = "cross"
    menu_label = "الكلمات المحظورة"
    add_to_settings_menu = True
    list_display = ["term", "created"]
    search_fields = ["term"]
    search_backend_name = None
    copy_view_enabled = False


# --- bulk actions: approve, spam, trash (delete is Wagtail's own) ---------------------------


class StatusBulkAction(SnippetBulkAction):
    """Move the selected comments to ``status``; the articles that show them are refreshed."""

    models = [Comment]
    status = None
    template_name = "comments/admin/confirm_bulk_status.html"
    classes = set()

    def check_perm(self, obj):
        return self.request.user.has_perm("comments.change_comment")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        moved = Comment.objects.filter(pk__in=[obj.pk for obj in objects]).set_status(cls.status)
        return moved, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{self.done_label}: {count_noun(num_parent_objects, COMMENTS)}." if num_parent_objects else "لم يتغير شيء."


class ApproveBulkAction(StatusBulkAction):
    display_name = "موافقة"
    aria_label = "الموافقة على التعليقات المختارة ونشرها"
    action_type = "approve"
    action_priority = 10
    status = Status.APPROVED
    done_label = "نُشر"


class SpamBulkAction(StatusBulkAction):
    display_name = "مزعج"
    aria_label = "نقل التعليقات المختارة إلى المزعجة"
    action_type = "spam"
    action_priority = 20
    status = Status.SPAM
    done_label = "نُقل إلى المزعجة"


class TrashBulkAction(StatusBulkAction):
    display_name = "إلى المهملات"
    aria_label = "نقل التعليقات المختارة إلى المهملات"
    action_type = "trash"
    action_priority = 25
    status = Status.TRASH
    done_label = "نُقل إلى المهملات"


class PendingCommentsSummaryItem(SummaryItem):
    """"N تعليقات بانتظار المراجعة" on the dashboard, linking to the queue."""

    order = 150
    template_name = "comments/admin/summary_item.html"

    def is_shown(self):
        return self.request.user.has_perm("comments.change_comment")

    def get_context_data(self, parent_context):
        pending = Comment.objects.pending().count()
        return {
            "pending": pending,
            "label": count_noun(pending, COMMENTS) if pending else "لا تعليقات",
            "url": reverse(LIST_URL_NAME) + "?status=pending",
        }
