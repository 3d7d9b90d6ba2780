from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "khabar.wire"
    label = "wire"
    verbose_name = "الوارد من الوكالات"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from khabar import periodic
        from khabar.wire import tasks

        # Each feed keeps its own interval and back-off; this only looks every minute for the due ones.
        periodic.every(60, tasks.pull_due_feeds)
