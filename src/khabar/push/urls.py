from django.urls import path

from khabar.push import views

app_name = "push"

# The service worker itself is served at the site root (/push-sw.js): see khabar.urls.
urlpatterns = [
    path("key/", views.public_key, name="key"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
