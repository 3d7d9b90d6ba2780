from django.apps import AppConfig
from django.conf import settings


class NewsConfig(AppConfig):
    name = "khabar.news"
    label = "news"
    verbose_name = "الأخبار"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from khabar import periodic
        from khabar.news import signal_handlers, tasks

        signal_handlers.connect()
        # Pages whose go-live or expiry time has come are published or unpublished by the worker.
        periodic.every(30, tasks.publish_scheduled)
        if settings.TASKS_BACKEND == "database":
            # Finished tasks' rows would otherwise pile up (two periodic tasks a minute): pruned hourly.
            periodic.every(3600, tasks.prune_task_results)
