from django.core.management.base import BaseCommand

from khabar.demo.loader import load_demo_content


class Command(BaseCommand):
    help = "Publish the demo content (a week of invented news with pictures) on a site that has no articles yet."

    def handle(self, **options):
        count = load_demo_content()
        if count:
            self.stdout.write(f"Demo content loaded: {count} articles.")
        else:
            self.stdout.write("The site already has articles: demo content not loaded.")
