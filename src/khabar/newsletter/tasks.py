"""Everything that sends mail runs here, in the task worker, never in a reader's or editor's request."""

from django_tasks import task

from khabar.newsletter import digests, sending, subscriptions
from khabar.newsletter.mail import confirmation_message
from khabar.newsletter.models import Subscriber


@task()
def send_confirmation(subscriber_id, lists, name=""):
    """The double opt-in mail, at most once every KHABAR_NEWSLETTER_RESEND_MINUTES per address."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriptions.take_confirmation_slot(subscriber_id):
        return "skipped"
    try:
        confirmation_message(subscriber, lists, name).send()
    except Exception:
        subscriptions.release_confirmation_slot(subscriber_id)
        raise
    return "sent"


@task()
def send_issue(issue_id):
    """Send an issue's due deliveries; several of these may run at once on different workers."""
    return sending.send_pending(issue_id)


@task()
def watch_issue(issue_id, token=None):
    """Re-run while an issue is unfinished: reclaims a crashed worker's rows and retries failures."""
    return sending.watch(issue_id, token)


@task()
def send_breaking_news(article_id):
    """The breaking list's alert for one article; a second call for the same article sends nothing."""
    issue = digests.build_breaking(article_id)
    if issue is None:
        return None
    sending.start_sending(issue.pk)
    return issue.pk
