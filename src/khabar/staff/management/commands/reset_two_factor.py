from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from khabar.staff import two_factor


class Command(BaseCommand):
    help = (
        "Remove a staff member's two-factor device (a lost phone). They sign in with the password alone "
        "and, if their group requires two-factor, are sent to enrol a new device."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        removed = two_factor.remove_devices(user)
        self.stdout.write(f"Removed {removed} two-factor device(s) of {username}.")
