from django.urls import path

from khabar.mostread import views

app_name = "mostread"
urlpatterns = [path("hit/", views.hit, name="hit")]
