from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "khabar.staff"
    label = "staff"
    verbose_name = "دخول فريق التحرير"

    def ready(self):
        from khabar.staff import sessions

        sessions.connect()
