from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khabar.demo.loader import load_demo_content


class Command(BaseCommand):
    help = "Publish the demo content (a week of invented news with pictures) on a site that has no articles yet."

    def handle(self, **options):
        if settings.PRODUCTION:  # invented news must never reach a real site's readers
            raise CommandError("KHABAR_PRODUCTION is on: the demo content is never loaded in production.")
        count = load_demo_content()
        if count:
            self.stdout.write(f"Demo content loaded: {count} articles.")
        else:
            self.stdout.write("The site already has articles: demo content not loaded.")
