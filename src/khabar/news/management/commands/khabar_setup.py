import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from khabar.env import get_str
from khabar.news.site_tree import ensure_home_page


class Command(BaseCommand):
    help = "Build the site tree and make sure an admin account exists (demo content: load_demo, in khabar.demo)."

    def handle(self, **options):
        ensure_home_page()
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
