"""The mail server down while readers sign up and comment and a digest goes out; then back.

The SMTP server is an aiosmtpd on a fixed port that refuses connections at
first (stopped), as a mail relay that is down does. khabar's web workers and
``khabar worker`` (the database task backend) run meanwhile. Each mail is
retried later and, once the server is back, arrives exactly once: the sign-up's
confirmation, the moderators' mail about a comment waiting for review, and
each subscriber's copy of a daily digest.
"""

import time

from tests.faults.conftest import MODERATOR_EMAIL, FaultSite, SmtpServer, database_like_the_run, wait_until

SUBSCRIBERS = 3
DIGEST = f"""
from khabar.newsletter import digests, sending
from khabar.newsletter.models import Subscriber
Subscriber.objects.bulk_create(
    [Subscriber(email=f"daily{{n}}@example.org", status="active", daily=True) for n in range({SUBSCRIBERS})]
)
sending.start_sending(digests.build_digest("daily").pk)
"""
ATTEMPTS = "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE ? AND status != 'READY'"


def attempts(site, task):
    return site.query(ATTEMPTS, f"%{task}")[0][0]


def test_mail_waits_for_the_server_and_arrives_once(template, tmp_path):
    smtp = SmtpServer()  # not started: the mail server is down
    with database_like_the_run(template, "khabar_fault_smtp") as database_url:
        site = FaultSite(
            template, tmp_path, smtp.port, database_url,
            KHABAR_NEWSLETTER_RETRY_SECONDS=1, KHABAR_NEWSLETTER_LEASE_SECONDS=3, KHABAR_NEWSLETTER_MAX_ATTEMPTS=10,
            KHABAR_COMMENTS_NOTIFY_DELAY=1,
        )
        site.serve(workers=2)
        site.start_worker()
        try:
            assert site.sign_up("new.reader@example.org")[0] == 302
            assert site.comment("تعليق ينتظر المشرف", email="first.time@example.org")[0] == 303
            site.shell(DIGEST)

            # Each mail was tried and failed, and another attempt is queued.
            wait_until(lambda: attempts(site, "send_confirmation") >= 2, 90, "a second try of the confirmation")
            wait_until(lambda: attempts(site, "notify_moderators") >= 2, 90, "a second try of the moderators' mail")
            wait_until(
                lambda: site.query("SELECT COUNT(*) FROM newsletter_delivery WHERE attempts >= 1") == [(SUBSCRIBERS,)],
                90, "every digest copy to have been tried",
            )
            assert site.query("SELECT status FROM newsletter_delivery WHERE status != 'pending'") == []

            smtp.start()  # the server is back
            back = time.monotonic()
            digest = [f"daily{n}@example.org" for n in range(SUBSCRIBERS)]
            expected = ["new.reader@example.org", MODERATOR_EMAIL, *digest]
            wait_until(lambda: all(smtp.sink.messages(to=address) for address in expected), 90, "every mail")
            delivered_after = time.monotonic() - back
            time.sleep(3)  # longer than every retry interval: a second copy would come now
            copies = {address: len(smtp.sink.messages(to=address)) for address in expected}
            assert copies == dict.fromkeys(expected, 1), copies
            assert "/newsletter/confirm/" in smtp.sink.messages(to="new.reader@example.org")[0].get_body(
                preferencelist=("plain",)).get_content()
            assert site.query("SELECT COUNT(*) FROM newsletter_delivery WHERE status = 'sent'") == [(SUBSCRIBERS,)]
            tries = attempts(site, "send_confirmation") + attempts(site, "notify_moderators")
            print(f"\nSMTP down: {len(expected)} mails retried ({tries} task runs for the 2 single mails), "
                  f"each sent once, {delivered_after:.1f} s after the server came back")
        finally:
            site.stop_workers()
            site.stop()
            smtp.stop()
