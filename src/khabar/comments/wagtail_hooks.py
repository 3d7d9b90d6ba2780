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

register_snippet(CommentViewSet)
register_snippet(BlockedTermViewSet)

for action in (ApproveBulkAction, SpamBulkAction, TrashBulkAction):
    hooks.register("register_bulk_action", action)


@hooks.register("construct_homepage_summary_items")
def add_pending_comments(request, items):
    items.append(PendingCommentsSummaryItem(request))
