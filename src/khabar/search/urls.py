from django.urls import path

from khabar.search import views

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="search-suggest"),
]
