"""``{% comments_section page %}``: the comments and the form under an article.

What it renders depends only on the URL (``?cpage=``, ``?replytocom=``,
``?comment=``), never on who asks, so the article page stays cacheable.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html

from khabar.arabic import count_noun
from khabar.comments.forms import CommentForm
from khabar.comments.models import parse_pk
from khabar.comments.text import CLOSED, COMMENTS, avatar_hue, initials
from khabar.comments.threads import PAGE_PARAMETER, load_thread

register = template.Library()

OUTCOMES = {
    "pending": "شكراً لك. تعليقك بانتظار المراجعة، وسيظهر هنا بعد أن يوافق عليه المشرفون.",
    "approved": "شكراً لك. نُشر تعليقك.",
}


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, page):
    request = context.get("request")
    query = request.GET if request is not None and request.method == "GET" else {}
    thread = load_thread(page, query.get(PAGE_PARAMETER))
    form = context.get("comment_form")
    replying_to = None
    if not page.comments_open:
        form = None  # closed: the notice stands where the form was, and nothing can be answered
    elif form is None:
        replying_to = _reply_target(thread, query.get("replytocom"))
        initial = {"parent": replying_to.comment.pk} if replying_to else {}
        form = CommentForm(page, initial=initial)
    elif parse_pk(form.data.get("parent")):
        replying_to = thread.find(parse_pk(form.data.get("parent")))
    return {
        "request": request,
        "page": page,
        "thread": thread,
        "count_label": count_noun(thread.count, COMMENTS, settings.KHABAR_DIGITS) if thread.count else "",
        "form": form,
        "replying_to": replying_to,
        "outcome": OUTCOMES.get(query.get("comment", "")),
        "closed_notice": CLOSED,
    }


def _reply_target(thread, raw):
    node = thread.find(parse_pk(raw))
    return node if node and node.can_reply else None


@register.simple_tag
def avatar(name, staff=False):
    """A round avatar with the commenter's initials, drawn by CSS: no image, no outside request."""
    return format_html(
        '<span class="avatar{}" style="--avatar-hue: {}" aria-hidden="true">{}</span>',
        " avatar--staff" if staff else "",
        avatar_hue(name),
        initials(name),
    )

