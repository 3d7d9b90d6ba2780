from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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
from khabar.pagecache import fragments

# Query parameters that change what the comments section shows.
VARIANT_PARAMETERS = ("cpage", "replytocom", "comment")

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
    """The comments and the form under an article, rendered as the ``{% comments_section %}`` tag would.

    The plain variant (no ``?cpage=``, ``?replytocom=``, ``?comment=``, not a form sent back with
    errors) is the same for every reader: it is kept as a shared fragment until the article is
    purged, which every visible comment change does.
    """
    page = context["page"]

    def render():
        template = context.template.engine.get_template("comments/section.html")
        return template.render(context.new(comments_section(context, page))), None

    request = context.get("request")
    plain = (
        request is not None and request.method == "GET" and context.get("comment_form") is None
        and not any(name in request.GET for name in VARIANT_PARAMETERS)
    )
    if not plain:
        return render()[0]
    return mark_safe(fragments.cached(f"comments:{page.pk}", render, path=page.url)[0])  # our own template
