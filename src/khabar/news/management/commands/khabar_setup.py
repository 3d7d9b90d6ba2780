import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from khabar.env import get_str
from khabar.news.models import ArticlePage
from khabar.news.site_tree import ensure_home_page


class Command(BaseCommand):
    help = "Build the site tree, load demo content on an empty site and make sure an admin account exists."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not load demo content")

    def handle(self, no_demo, **options):
        ensure_home_page()
        if not no_demo and not ArticlePage.objects.exists():
            from khabar.news.demo import load_demo_content

            count = load_demo_content()
            self.stdout.write(f"Demo content loaded: {count} articles.")
        self.ensure_admin()

    def ensure_admin(self):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Admin: log in with your existing account at " + settings.SITE_URL + "/admin/")
            return
        password = get_str("KHABAR_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        shown = "from KHABAR_ADMIN_PASSWORD" if get_str("KHABAR_ADMIN_PASSWORD") else password
        self.stdout.write(
            f"Admin account created: user 'admin', password {shown} (shown once; change it in the admin)."
        )
