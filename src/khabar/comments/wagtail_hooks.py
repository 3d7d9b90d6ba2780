from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from khabar.comments.admin_views import (
    ApproveBulkAction,
    BlockedTermViewSet,
    CommentViewSet,
    PendingCommentsSummaryItem,
    SpamBulkAction,
    TrashBulkAction,
)
from khabar.comments.templatetags.comments_tags import comments_section
from khabar.news import slots

register_snippet(CommentViewSet)
register_snippet(BlockedTermViewSet)

for action in (ApproveBulkAction, SpamBulkAction, TrashBulkAction):
    hooks.register("register_bulk_action", action)


@hooks.register("construct_homepage_summary_items")
def add_pending_comments(request, items):
    items.append(PendingCommentsSummaryItem(request))


@hooks.register(slots.hook_name(slots.ARTICLE_HEAD))
def comments_assets(context):
    # Two lines, indented like the <head> lines around them.
    return format_html(
        '<link rel="stylesheet" href="{}">\n  <script src="{}" defer></script>',
        static("khabar/css/comments.css"),
        static("khabar/js/comments.js"),
    )


@hooks.register(slots.hook_name(slots.AFTER_ARTICLE))
def comments_under_article(context):
    """The comments and the form under an article, rendered as the ``{% comments_section %}`` tag would."""
    template = context.template.engine.get_template("comments/section.html")
    return template.render(context.new(comments_section(context, context["page"])))
