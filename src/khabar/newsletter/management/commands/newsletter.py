"""``khabar newsletter …``: what cron (or a systemd timer) and an operator run.

    khabar newsletter send-digest daily     # e.g. every morning
    khabar newsletter send-digest weekly    # e.g. Friday mornings
    khabar newsletter resume                # safety net: pick up unfinished sends
    khabar newsletter cleanup               # forget sign-ups never confirmed
    khabar newsletter status [ISSUE]        # progress of recent issues
    khabar newsletter resend-unknown ISSUE  # after checking the mail log (see sending.py)
"""

from django.core.management.base import BaseCommand, CommandError

from khabar.newsletter import digests, sending, subscriptions
from khabar.newsletter.models import Delivery, Issue


class Command(BaseCommand):
    help = "Send digests and look after newsletter sends."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        digest = actions.add_parser("send-digest", help="build the next digest and queue it for the task worker")
        digest.add_argument("kind", choices=["daily", "weekly"])
        actions.add_parser("resume", help="re-queue every unfinished issue (after a crash, or from cron)")
        actions.add_parser("cleanup", help="delete sign-ups whose confirmation link has expired")
        status = actions.add_parser("status", help="progress of the latest issues, or of one")
        status.add_argument("issue", nargs="?", type=int)
        unknown = actions.add_parser("resend-unknown", help="resend copies left 'unknown' by a crash")
        unknown.add_argument("issue", type=int)
        unknown.add_argument("--email", action="append", default=[], help="only these addresses (repeatable)")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_send_digest(self, kind, **options):
        # The daily run also forgets expired sign-ups, so one cron line covers both.
        if kind == "daily":
            subscriptions.delete_expired_requests()
        issue = digests.build_digest(kind)
        if issue is None:
            self.stdout.write(f"No {kind} digest: nothing published since the last one.")
            return
        sending.start_sending(issue.pk)
        self.stdout.write(
            f"Issue #{issue.pk} ({kind}): {issue.items.count()} articles for "
            f"{issue.deliveries.count()} subscribers, queued for the task worker."
        )

    def do_resume(self, **options):
        resumed = sending.resume_unfinished()
        self.stdout.write(f"Unfinished issues checked: {len(resumed)}" + (f" ({resumed})" if resumed else ""))

    def do_cleanup(self, **options):
        self.stdout.write(f"Expired sign-ups deleted: {subscriptions.delete_expired_requests()}")

    def do_status(self, issue=None, **options):
        issues = Issue.objects.filter(pk=issue) if issue else Issue.objects.all()[:10]
        for item in issues:
            counts = Delivery.objects.filter(issue=item).progress()
            done = "finished" if item.finished_at else "sending"
            summary = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
            self.stdout.write(f"#{item.pk} {item.kind} [{done}] {summary or 'no recipients'}")

    def do_resend_unknown(self, issue, email, **options):
        if not Issue.objects.filter(pk=issue).exists():
            raise CommandError(f"No issue #{issue}.")
        self.stdout.write(f"Queued again: {sending.release_unknown(issue, email or None)}")
