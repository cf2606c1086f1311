from django.urls import path

from newsletters import feeds, views

app_name = "newsletters"

urlpatterns = [
    path("", views.subscribe_view, name="subscribe"),
    path("subscribe/sent/", views.subscribe_sent_view, name="subscribe_sent"),
    path("confirm/<str:token>/", views.confirm_view, name="confirm"),
    path("manage/<str:token>/", views.manage_view, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("account/", views.account_view, name="account"),
    path("<slug:slug>/", views.ArchiveView.as_view(), name="archive"),
    path("<slug:slug>/feed/", feeds.IssueFeed(), name="feed"),
    path("<slug:slug>/feed/atom/", feeds.IssueAtomFeed(), name="feed_atom"),
    path("<slug:slug>/<int:number>/", views.IssueView.as_view(), name="issue"),
]
