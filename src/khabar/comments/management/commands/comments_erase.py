from django.core.management.base import BaseCommand

from khabar.comments.models import Comment
from khabar.comments.privacy import erase_comments


class Command(BaseCommand):
    help = "Delete every comment of an e-mail address and the admin log about them (a reader's erasure request)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--dry-run", action="store_true", help="only say how many comments would be deleted")

    def handle(self, email, dry_run=False, **options):
        if dry_run:
            count = Comment.objects.by_email(email).count()
            self.stdout.write(f"{count} comment(s) would be deleted.")
            return
        count = erase_comments(email)
        self.stdout.write(f"{count} comment(s) deleted.")
