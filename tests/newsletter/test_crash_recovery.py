"""A worker killed with SIGKILL in the middle of a 2,000-subscriber send: after a restart everyone has one copy.

Everything runs as in production: a file SQLite database (and PostgreSQL too
when KHABAR_TEST_DATABASE_URL names a server), the database task backend,
``khabar newsletter send-digest daily`` and ``khabar worker`` processes, and a
real SMTP server (aiosmtpd on loopback) counting envelopes per recipient. The
send is finished by two workers at once, so their claims race each other too.
"""

import email
import email.policy
import os
from collections import Counter

import pytest

from tests.instance import Instance, fresh_database

from .conftest import smtp_server

SUBSCRIBERS = 2000


@pytest.fixture
def sink():
    with smtp_server() as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """None for a file SQLite database; for PostgreSQL a fresh database on the test server, dropped after."""
    if request.param == "sqlite":
        yield None
        return
    if not os.environ.get("KHABAR_TEST_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("KHABAR_TEST_DATABASE_URL names no PostgreSQL server")
    with fresh_database("khabar_crash") as url:
        yield url


def copies_per_recipient(handler):
    with handler._lock:
        return Counter(r.lower() for envelope in handler.envelopes for r in envelope.rcpt_tos)


def message_ids(handler):
    with handler._lock:
        contents = [envelope.content for envelope in handler.envelopes]
    return {email.message_from_bytes(c, policy=email.policy.default)["Message-ID"] for c in contents}


def test_a_killed_worker_restarted_sends_every_subscriber_exactly_one_copy(tmp_path, sink, database_url):
    handler, port = sink
    site = Instance(
        tmp_path, port, database_url,
        KHABAR_NEWSLETTER_LEASE_SECONDS=2, KHABAR_NEWSLETTER_BATCH_SIZE=50, KHABAR_NEWSLETTER_SEND_TASKS=2,
    )
    site.setup(subscribers=SUBSCRIBERS)
    assert "2000 subscribers" in site.run("newsletter", "send-digest", "daily")
    [(issue_id,)] = site.query("SELECT id FROM newsletter_issue")
    try:
        worker = site.start_worker()
        site.wait_until(lambda: len(handler.envelopes) >= 400, 120, "the first 400 copies")
        site.kill(worker)  # SIGKILL: no chance to tidy up
        at_kill = len(handler.envelopes)
        assert at_kill < SUBSCRIBERS, "the send finished before the kill; the test proves nothing"
        site.query("SELECT 1")  # the database survived the kill

        site.start_worker()
        site.start_worker()  # two now: their claims race for the same rows
        finished = "SELECT finished_at IS NOT NULL FROM newsletter_issue WHERE id = ?"
        site.wait_until(lambda: site.query(finished, issue_id) == [(1,)], 180, "the issue to finish")

        # A copy caught between "sending" and "sent" is "unknown", never resent blindly. The operator
        # checks the mail log by Message-ID and resends only what never arrived: here the sink is the log.
        arrived = message_ids(handler)
        unknown = site.query("SELECT id, email FROM newsletter_delivery WHERE status = 'unknown'")
        assert len(unknown) <= 1, unknown  # at most the one copy in flight when the worker died
        missing = [address for pk, address in unknown if f"<newsletter.{issue_id}.{pk}@127.0.0.1>" not in arrived]
        if missing:
            site.run("newsletter", "resend-unknown", str(issue_id), *[f"--email={a}" for a in missing])
            site.wait_until(lambda: site.query(finished, issue_id) == [(1,)], 60, "the resent copy")
    finally:
        site.stop_workers()

    copies = copies_per_recipient(handler)
    assert len(copies) == SUBSCRIBERS
    assert set(copies.values()) == {1}, {r: n for r, n in copies.items() if n != 1}
    statuses = dict(site.query("SELECT status, COUNT(*) FROM newsletter_delivery GROUP BY status"))
    assert statuses.get("sent", 0) + statuses.get("unknown", 0) == SUBSCRIBERS
