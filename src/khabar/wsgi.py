"""The WSGI entry point: Django behind khabar's page cache (a hit never reaches Django)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")

from khabar.pagecache.wsgi import PageCacheApp  # noqa: E402  (Django must be set up first)

application = PageCacheApp(get_wsgi_application())
