from django.urls import path

from readers import views

app_name = "readers"

urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("delete/", views.delete_account_view, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
