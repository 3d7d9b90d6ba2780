"""The one place where khabar relies on private parts of Wagtail and treebeard, to add pages fast.

Adding a page the public way, ``parent.add_child(instance=page)``, costs several queries per page:
treebeard reads the parent's last child to find the new path, Wagtail re-reads the parent for the
URL path and the locale, asks whether the page is a site root and writes an audit-log row, and
the search app queues one indexing task. A bulk import already knows every one of those answers,
so it hands them over here. The private names relied on, each checked by
tests/news/test_tree_adapter.py so that an upgrade that changes one fails there, by name:

- treebeard ``MP_Node._get_path(path, depth, newstep)``, a classmethod: the path of a new child;
- treebeard ``MP_Node._get_lastpos_in_path()``: a node's position among its siblings;
- treebeard ``MP_Node.get_parent()`` answers from ``_cached_parent_obj`` when it is set;
- Wagtail ``Page.is_site_root()`` answers from ``_is_site_root`` when it is set;
- Wagtail ``Page.save(clean=False, log_action=None)`` skips validation and the "created" log entry;
- modelsearch ``signal_handlers.post_save_signal_handler`` is the post_save receiver that queues
  one index task per saved page;
- Wagtail ``signal_handlers.disable_reference_index_auto_update()``, a context manager.

Nothing else in khabar may use these names.
"""

from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler
from treebeard.exceptions import PathOverflow
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update


class ChildPaths:
    """Tree paths for new children of known parents: one query per parent, none per page."""

    def __init__(self):
        self._next = {}  # parent pk -> position of its next child

    def forget(self, parent):
        self._next.pop(parent.pk, None)

    def take(self, parent):
        """The path of the next child of ``parent``, after its existing children and those taken before."""
        if parent.pk not in self._next:
            last = parent.get_last_child()
            self._next[parent.pk] = last._get_lastpos_in_path() + 1 if last else 1
        position = self._next[parent.pk]
        if position >= len(Page.alphabet) ** Page.steplen:
            raise PathOverflow(f"{parent.url_path} has no room for another child page")
        self._next[parent.pk] += 1
        return Page._get_path(parent.path, parent.depth + 1, position)


def save_new_child(page, parent):
    """Insert ``page``, whose path, depth and slug are set, as a child of ``parent``.

    Wagtail would look up the parent (for the URL path) and the Site table (to clear its cache if
    this were a site root); both answers are given. No audit-log row: an import reports itself.
    The caller adds the new children to the parent's ``numchild``.
    """
    page._cached_parent_obj = parent
    page._is_site_root = False
    page.save(clean=False, log_action=None)


@contextmanager
def bulk_indexing(*models):
    """Inside, saving a page of ``models`` queues no search task and no reference-index update.

    The caller indexes what it wrote in bulk. Not re-entrant: enter it once around the writes.
    """
    disconnected = [model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
