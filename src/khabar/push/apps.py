from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "khabar.push"
    label = "push"
    verbose_name = "تنبيهات المتصفح"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # news must not import push: we learn about publishing from Wagtail's signal.
        from khabar import periodic
        from khabar.push import signal_handlers, tasks

        signal_handlers.connect()
        # Retries that came due, and sends a dead worker left half done.
        periodic.every(60, tasks.resume_breaking_pushes)
