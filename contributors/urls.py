from django.urls import path

from contributors import feeds, views

app_name = "contributors"

urlpatterns = [
    path("<slug:slug>/", views.ContributorDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", feeds.ContributorFeed(), name="feed"),
]
