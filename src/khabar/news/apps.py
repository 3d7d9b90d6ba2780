from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "khabar.news"
    label = "news"
    verbose_name = "الأخبار"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from khabar.news import signal_handlers

        signal_handlers.connect()
