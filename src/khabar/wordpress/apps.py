from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "khabar.wordpress"
    label = "wordpress"
    verbose_name = "الاستيراد من ووردبريس"
    default_auto_field = "django.db.models.BigAutoField"
