"""Everything that sends mail runs here, in the task worker, never in a reader's or editor's request."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from khabar import mail_retry
from khabar.newsletter import digests, sending, subscriptions
from khabar.newsletter.mail import confirmation_message
from khabar.newsletter.models import Subscriber


@task()
def send_confirmation(subscriber_id, lists, name="", attempt=1):
    """The double opt-in mail, at most once every KHABAR_NEWSLETTER_RESEND_MINUTES per address.

    When the mail server is away or answers "not now" (``mail_retry.TryLater``), the mail is
    queued again after KHABAR_NEWSLETTER_RETRY_SECONDS, doubling, up to KHABAR_NEWSLETTER_MAX_ATTEMPTS.
    """
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriptions.take_confirmation_slot(subscriber_id):
        return "skipped"
    try:
        with mail_retry.connection() as connection:
            message = confirmation_message(subscriber, lists, name)
            message.connection = connection
            message.send()
    except Exception as error:
        subscriptions.release_confirmation_slot(subscriber_id)
        if isinstance(error, mail_retry.TryLater) and attempt < settings.KHABAR_NEWSLETTER_MAX_ATTEMPTS:
            if send_confirmation.get_backend().supports_defer:
                later = timezone.now() + sending.retry_delay(attempt)
                send_confirmation.using(run_after=later).enqueue(subscriber_id, lists, name, attempt=attempt + 1)
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
