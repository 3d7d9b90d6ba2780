from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "khabar.search"
    label = "khabar_search"  # "search"/"wagtailsearch"/"modelsearch" are taken by Wagtail's apps
    verbose_name = "البحث"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from khabar.search import signal_handlers

        signal_handlers.connect()
