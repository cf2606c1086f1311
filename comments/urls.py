from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("articles/<str:slug>/comments/", views.post_comment, name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comments/<int:pk>/thread/", views.comment_thread, name="thread"),
    path("comments/<int:pk>/flag/", views.flag_comment, name="flag"),
]
