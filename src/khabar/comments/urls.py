from django.urls import path

from khabar.comments import views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("token/<int:article_id>/", views.form_token, name="token"),
]
