"""Composing newsletter mail: right-to-left HTML, its plain-text twin, and the unsubscribe headers.

An issue is rendered once; each subscriber's copy only swaps in their own
links and greeting, so a send to 10,000 addresses renders the templates once.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from khabar.news.models.pages import attach_sections
from khabar.news.urls_util import absolute_url, page_url
from khabar.newsletter import tokens
from khabar.newsletter.models import LISTS, Issue

# Stand-ins rendered into an issue's templates and replaced per subscriber.
UNSUBSCRIBE_MARK = "__KHABAR_UNSUBSCRIBE_URL__"
PREFERENCES_MARK = "__KHABAR_PREFERENCES_URL__"
GREETING_MARK = "__KHABAR_GREETING__"


def site_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_url(subscriber):
    return absolute_url(reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(subscriber)]))


def preferences_url(subscriber):
    return absolute_url(reverse("newsletter:preferences", args=[tokens.preferences_token(subscriber)]))


def list_headers(unsubscribe_link):
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to this URL."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<newsletter.{site_host()}>",
    }


def compose(subject, text, html, to, headers):
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.KHABAR_NEWSLETTER_FROM_EMAIL, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def greeting(name):
    return f"مرحباً {name}،" if name else "مرحباً،"


def confirmation_message(subscriber, lists, name=""):
    """The double opt-in mail. It never repeats the name typed in the form: anyone could have typed it."""
    link = absolute_url(reverse("newsletter:confirm", args=[tokens.confirmation_token(subscriber, lists, name)]))
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "confirm_url": link,
        "list_labels": [LISTS[n] for n in lists],
        "hours": settings.KHABAR_NEWSLETTER_CONFIRM_HOURS,
        "unsubscribe_url": unsubscribe_url(subscriber),
        "subject": f"أكّد اشتراكك في نشرة {settings.SITE_NAME}",
    }
    return compose(
        context["subject"],
        render_to_string("newsletter/email/confirm.txt", context),
        render_to_string("newsletter/email/confirm.html", context),
        subscriber.email,
        list_headers(context["unsubscribe_url"]),
    )


@dataclass
class RenderedIssue:
    issue_id: int
    subject: str
    text: str
    html: str

    def message_for(self, delivery):
        """This delivery's copy, with its own links, greeting and a Message-ID an MTA log can be searched for."""
        subscriber = delivery.subscriber
        if subscriber is not None:
            unsubscribe, preferences = unsubscribe_url(subscriber), preferences_url(subscriber)
            hello = greeting(subscriber.name)
        else:  # a test copy to an address that need not be subscribed
            unsubscribe = preferences = absolute_url(reverse("newsletter:subscribe"))
            hello = greeting("")
        marks = {UNSUBSCRIBE_MARK: unsubscribe, PREFERENCES_MARK: preferences}
        text, html = self.text, self.html
        for mark, value in marks.items():
            text, html = text.replace(mark, value), html.replace(mark, escape(value))
        text, html = text.replace(GREETING_MARK, hello), html.replace(GREETING_MARK, escape(hello))
        headers = list_headers(unsubscribe)
        headers["Message-ID"] = message_id(delivery)
        return compose(self.subject, text, html, delivery.email, headers)


def message_id(delivery):
    return f"<newsletter.{delivery.issue_id}.{delivery.pk}@{site_host()}>"


def render_issue(issue):
    """Render the issue's templates once, with stand-ins for what differs per subscriber."""
    articles = attach_sections(issue.article_list())
    items = [
        {
            "title": article.title,
            "url": page_url(article),
            "section": article.section.title if article.section else "",
            "description": article.description,
            "published": article.first_published_at,
            "dateline": article.dateline,
        }
        for article in articles
    ]
    layout = "breaking" if issue.layout == Issue.Kind.BREAKING else "digest"
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "subject": issue.subject,
        "issue": issue,
        "kind_label": LISTS.get(issue.layout, Issue.Kind(issue.layout).label),
        "articles": items,
        "lead": items[0] if items else None,
        "test_copy": issue.kind == Issue.Kind.TEST,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "preferences_url": PREFERENCES_MARK,
        "greeting": GREETING_MARK,
    }
    return RenderedIssue(
        issue_id=issue.pk,
        subject=issue.subject,
        text=render_to_string(f"newsletter/email/{layout}.txt", context),
        html=render_to_string(f"newsletter/email/{layout}.html", context),
    )
