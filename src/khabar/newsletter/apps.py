from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "khabar.newsletter"
    label = "newsletter"
    verbose_name = "النشرة البريدية"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # news must not import newsletter: we learn about publishing from Wagtail's signal.
        from khabar.newsletter import signal_handlers

        signal_handlers.connect()
