"""khabar's URLs plus one view that fails, to see the server-error page the way a reader gets it."""

from django.urls import path

from khabar.urls import handler404, handler500, urlpatterns as site_urlpatterns  # noqa: F401 (handlers are read from here)


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
