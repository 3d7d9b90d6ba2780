"""What a reader can do to their subscription: ask, confirm, change lists, leave.

Nothing here tells the caller whether an address was already known: a sign-up
request does the same work for a new, pending, active or departed address, and
only the owner of the mailbox, by following the signed link, changes anything
for an existing subscriber.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from khabar.identity.email import normalise_email
from khabar.newsletter.models import LISTS, Subscriber


def request_subscription(email, lists, name=""):
    """Record a sign-up request and queue the confirmation mail; the same for every address."""
    from khabar.newsletter import tasks

    email = normalise_email(email)
    now = timezone.now()
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(
                email=email, defaults={"name": name, "requested_at": now}
            )
    except IntegrityError:  # two requests for one new address at once
        subscriber, created = Subscriber.objects.get(email=email), False
    if not created:
        Subscriber.objects.filter(pk=subscriber.pk).update(requested_at=now)
    tasks.send_confirmation.enqueue(subscriber.pk, [n for n in LISTS if n in lists], name)
    return subscriber


def take_confirmation_slot(subscriber_id):
    """True when a confirmation mail may go now: at most one every KHABAR_NEWSLETTER_RESEND_MINUTES.

    One conditional UPDATE, so two requests racing each other send one mail.
    """
    now = timezone.now()
    cooldown = now - timedelta(minutes=settings.KHABAR_NEWSLETTER_RESEND_MINUTES)
    return bool(
        Subscriber.objects.filter(pk=subscriber_id)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=cooldown))
        .update(confirmation_sent_at=now)
    )


def release_confirmation_slot(subscriber_id):
    """The mail could not be sent: let the next request try again at once."""
    Subscriber.objects.filter(pk=subscriber_id).update(confirmation_sent_at=None)


def confirm(subscriber, lists, name=""):
    """The owner followed the link: join the lists it carries (added to any already chosen)."""
    now = timezone.now()
    was_active = subscriber.status == Subscriber.Status.ACTIVE
    for list_name in LISTS:
        wanted = list_name in lists
        setattr(subscriber, list_name, wanted or (was_active and getattr(subscriber, list_name)))
    if name:
        subscriber.name = name
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirmed_at = subscriber.confirmed_at if was_active else now
    subscriber.unsubscribed_at = None
    subscriber.bounce_count = 0
    subscriber.save()
    return subscriber


def set_lists(subscriber, lists):
    """From the preferences page: exactly these lists; none at all means leaving."""
    if not lists:
        return unsubscribe(subscriber)
    for list_name in LISTS:
        setattr(subscriber, list_name, list_name in lists)
    if subscriber.status != Subscriber.Status.ACTIVE:
        # The page is reached only through a signed link mailed to this address.
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.bounce_count = 0
    subscriber.save()
    return subscriber


def unsubscribe(subscriber):
    """Leave every list at once; idempotent, so a second click changes nothing."""
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    return subscriber


def delete_expired_requests(now=None):
    """Forget sign-ups never confirmed within KHABAR_NEWSLETTER_CONFIRM_HOURS; return how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.KHABAR_NEWSLETTER_CONFIRM_HOURS)
    _, per_model = Subscriber.objects.filter(status=Subscriber.Status.PENDING, requested_at__lt=cutoff).delete()
    return per_model.get(Subscriber._meta.label, 0)
