from django.apps import AppConfig


class MostReadConfig(AppConfig):
    name = "khabar.mostread"
    label = "mostread"
    verbose_name = "الأكثر قراءة"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from khabar import periodic
        from khabar.mostread import tasks

        # Counters in the shared cache become hourly rows and rankings once a minute.
        periodic.every(60, tasks.aggregate_views)
