from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "khabar.comments"
    label = "comments"
    verbose_name = "التعليقات"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from khabar.comments import signal_handlers

        signal_handlers.connect()
