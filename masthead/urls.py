from django.urls import path

from masthead import views

app_name = "masthead"

urlpatterns = [
    path(
        "theme/v1/accent-<str:colour>.css",
        views.accent_stylesheet,
        name="accent",
    ),
    path("icons/<str:version>-<int:size>.png", views.icon, name="icon"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("apple-touch-icon.png", views.touch_icon, name="touch_icon"),
]
