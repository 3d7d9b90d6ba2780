"""Sending an issue through a real SMTP server: claims, leases, retries, bounces, and never twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from khabar.newsletter import digests, sending
from khabar.newsletter.models import Delivery, Issue, Subscriber
from khabar.newsletter.transport import LeaseLost, Transport

from .conftest import parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(publish_article, make_subscriber):
    """A daily issue built for three subscribers, not yet sent."""
    for n in range(3):
        make_subscriber(f"reader{n}@example.org")
    publish_article(title="خبر اليوم")
    return digests.build_digest("daily")


def statuses(issue):
    return dict(Delivery.objects.filter(issue=issue).values_list("email", "status"))


def test_an_issue_goes_to_every_recipient_once(smtp_sink, issue):
    sending.send_pending(issue.pk)
    sending.send_pending(issue.pk)  # a retry of the whole task changes nothing
    assert sorted(r for e in smtp_sink.envelopes for r in e.rcpt_tos) == [
        "reader0@example.org", "reader1@example.org", "reader2@example.org",
    ]
    assert set(statuses(issue).values()) == {"sent"}
    issue.refresh_from_db()
    assert issue.finished_at is not None


def test_each_copy_is_rtl_html_with_text_and_its_own_unsubscribe_link(smtp_sink, issue):
    sending.send_pending(issue.pk)
    messages = smtp_sink.messages()
    links = {str(m["List-Unsubscribe"]).strip() for m in messages}
    assert len(links) == 3  # one per subscriber
    for message in messages:
        text, html = parts(message)
        assert "خبر اليوم" in text and "خبر اليوم" in html
        assert '<html lang="ar" dir="rtl">' in html and "<table" in html and 'style="' in html
        footer_link = text.split("إلغاء الاشتراك: ")[1].split()[0]
        assert str(message["List-Unsubscribe"]).strip() == f"<{footer_link}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"].startswith(f"<newsletter.{issue.pk}.")


def test_two_workers_never_claim_the_same_delivery(issue):
    first_token, first = sending.claim_batch(issue.pk, size=2)
    second_token, second = sending.claim_batch(issue.pk, size=2)
    assert len(first) == 2 and len(second) == 1
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert sending.claim_batch(issue.pk)[1] == []


def test_a_crashed_workers_claims_return_after_the_lease_and_are_sent(smtp_sink, issue):
    sending.claim_batch(issue.pk, size=2)  # then the worker dies
    sending.send_pending(issue.pk)
    assert len(smtp_sink.envelopes) == 1  # the two leased rows wait for the lease to run out
    Delivery.objects.filter(status="claimed").update(lease_until=timezone.now() - timedelta(seconds=1))
    sending.watch(issue.pk)
    assert len(smtp_sink.envelopes) == 3 and set(statuses(issue).values()) == {"sent"}


def test_a_copy_the_server_may_have_taken_is_never_sent_again(smtp_sink, issue):
    token, batch = sending.claim_batch(issue.pk, size=1)
    # The worker reached the checkpoint, then died before recording the server's answer.
    Delivery.objects.filter(pk=batch[0].pk).update(status="sending", lease_until=timezone.now() - timedelta(seconds=1))
    call_command("newsletter", "resume", stdout=open("/dev/null", "w"))
    assert Delivery.objects.get(pk=batch[0].pk).status == "unknown"
    assert batch[0].email not in [r for e in smtp_sink.envelopes for r in e.rcpt_tos]
    issue.refresh_from_db()
    assert issue.finished_at is not None
    # Once the operator has checked the mail log, the copy can be released on purpose.
    call_command("newsletter", "resend-unknown", str(issue.pk), stdout=open("/dev/null", "w"))
    assert Delivery.objects.get(pk=batch[0].pk).status == "sent"


def test_a_worker_that_lost_its_lease_cannot_send(smtp_sink, issue):
    token, [delivery, *_] = sending.claim_batch(issue.pk, size=1)
    Delivery.objects.filter(pk=delivery.pk).update(claim_token="someone-else")
    rendered = sending.render_issue(issue)
    transport = Transport()
    assert sending.deliver(issue, delivery, token, transport, rendered) is None
    transport.close()
    assert smtp_sink.envelopes == []


def test_the_checkpoint_comes_before_the_server_takes_the_message(smtp_sink, issue):
    """Refusing at the checkpoint drops the connection mid-DATA: the server must have nothing."""
    token, [delivery, *_] = sending.claim_batch(issue.pk, size=1)
    message = sending.render_issue(issue).message_for(delivery)
    transport = Transport()

    def refuse():
        raise LeaseLost()

    with pytest.raises(LeaseLost):
        transport.send(message, refuse)
    transport.send(message, lambda: None)  # the transport recovers for the next message
    transport.close()
    assert len(smtp_sink.envelopes) == 1


def test_a_temporary_refusal_is_retried_later_with_back_off(smtp_sink, issue):
    smtp_sink.refuse["reader1@example.org"] = "451 4.7.1 Greylisted, try again later"
    sending.send_pending(issue.pk)
    delivery = Delivery.objects.get(email="reader1@example.org")
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=60)
    assert "451" in delivery.last_error
    issue.refresh_from_db()
    assert issue.finished_at is None

    sending.send_pending(issue.pk)  # not due yet: nothing happens
    assert Delivery.objects.get(email="reader1@example.org").attempts == 1

    del smtp_sink.refuse["reader1@example.org"]
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    sending.watch(issue.pk)
    assert Delivery.objects.get(pk=delivery.pk).status == "sent"
    assert sorted(r for e in smtp_sink.envelopes for r in e.rcpt_tos).count("reader1@example.org") == 1


@override_settings(KHABAR_NEWSLETTER_MAX_ATTEMPTS=2)
def test_temporary_failures_give_up_after_the_last_attempt(smtp_sink, issue):
    smtp_sink.refuse["reader0@example.org"] = "452 4.2.2 Mailbox full"
    for _ in range(2):
        Delivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())
        sending.send_pending(issue.pk)
    assert Delivery.objects.get(email="reader0@example.org").status == "failed"


@override_settings(KHABAR_NEWSLETTER_BOUNCE_THRESHOLD=2)
def test_permanent_failures_mark_the_address_bounced_after_the_threshold(smtp_sink, publish_article, issue):
    smtp_sink.refuse["reader2@example.org"] = "550 5.1.1 No such user"
    sending.send_pending(issue.pk)
    assert statuses(issue)["reader2@example.org"] == "failed"
    subscriber = Subscriber.objects.get(email="reader2@example.org")
    assert (subscriber.status, subscriber.bounce_count) == ("active", 1)

    publish_article(title="خبر آخر")
    sending.send_pending(digests.build_digest("daily").pk)
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.bounce_count) == ("bounced", 2)

    publish_article(title="خبر ثالث")
    third = digests.build_digest("daily")
    assert not third.deliveries.filter(email="reader2@example.org").exists()


def test_an_unreachable_server_pauses_the_send_instead_of_failing_everyone(issue, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    outcome = sending.send_pending(issue.pk)
    assert outcome == {"connection_down": 1}
    assert set(statuses(issue).values()) == {"pending"}
    assert Delivery.objects.filter(attempts=1).count() == 1  # only the one actually tried counts


def test_someone_who_leaves_mid_send_is_skipped(smtp_sink, issue):
    Subscriber.objects.filter(email="reader0@example.org").update(status="unsubscribed")
    sending.send_pending(issue.pk)
    assert statuses(issue)["reader0@example.org"] == "skipped"
    assert "reader0@example.org" not in [r for e in smtp_sink.envelopes for r in e.rcpt_tos]


def test_a_test_copy_reaches_any_address_and_is_marked_as_a_test(smtp_sink, issue):
    copy = digests.build_test_copy(issue, "Editor@Example.org")
    sending.start_sending(copy.pk)
    [message] = smtp_sink.messages(to="editor@example.org")
    assert str(message["Subject"]).strip().startswith("[نسخة تجريبية]")
    assert "نسخة تجريبية للمحررين" in parts(message)[1]
    assert Issue.objects.get(pk=issue.pk).deliveries.filter(status="sent").count() == 0
