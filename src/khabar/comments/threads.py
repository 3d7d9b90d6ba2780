"""What the article page shows: approved comments, oldest first, replies nested, in two queries.

The first query reads only (id, parent) pairs of the approved comments, enough
to count them, build the threads and pick one page of top-level threads. The
second reads the comments on that page, and only the columns a reader may see:
the e-mail, address hash and browser never leave the database for a page.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator

from khabar.comments.models import Comment

PUBLIC_FIELDS = ("id", "article", "parent", "name", "url", "body", "status", "created", "is_staff_reply")
PAGE_PARAMETER = "cpage"


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list = field(default_factory=list)

    @property
    def can_reply(self):
        return self.depth < settings.KHABAR_COMMENTS_MAX_DEPTH


@dataclass
class Thread:
    count: int
    nodes: list  # top-level Nodes of this page
    page: object  # django.core.paginator.Page of top-level comment ids, or None

    def find(self, comment_id):
        stack = list(self.nodes)
        while stack:
            node = stack.pop()
            if node.comment.pk == comment_id:
                return node
            stack.extend(node.children)
        return None


def load_thread(article, page_number=None):
    """The approved comments of ``article`` for one page of top-level threads."""
    if article.pk is None:  # the admin's preview of an article not saved yet
        return Thread(count=0, nodes=[], page=None)
    pairs = list(
        Comment.objects.approved().filter(article=article).order_by("created", "pk").values_list("pk", "parent_id")
    )
    if not pairs:
        return Thread(count=0, nodes=[], page=None)
    approved = {pk for pk, _ in pairs}
    children = {}
    roots = []
    for pk, parent_id in pairs:
        # A reply whose parent is hidden (pending, spam, trash) stands at the top level.
        if parent_id in approved:
            children.setdefault(parent_id, []).append(pk)
        else:
            roots.append(pk)
    page = Paginator(roots, settings.KHABAR_COMMENTS_PER_PAGE).get_page(page_number)

    shown, stack = [], list(page.object_list)
    while stack:
        pk = stack.pop()
        shown.append(pk)
        stack.extend(children.get(pk, ()))
    comments = Comment.objects.filter(pk__in=shown).only(*PUBLIC_FIELDS).in_bulk()

    def build(pk, depth):
        node = Node(comments[pk], min(depth, settings.KHABAR_COMMENTS_MAX_DEPTH))
        node.children = [build(child, depth + 1) for child in children.get(pk, ())]
        return node

    return Thread(count=len(pairs), nodes=[build(pk, 1) for pk in page.object_list], page=page)
