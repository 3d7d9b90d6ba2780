import json

from django.core.management.base import BaseCommand

from khabar.comments.privacy import export_comments


class Command(BaseCommand):
    help = "Print, as JSON, every comment and all data stored for an e-mail address (a reader's access request)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, email, **options):
        self.stdout.write(json.dumps(export_comments(email), ensure_ascii=False, indent=2))
