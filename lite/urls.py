from django.urls import path

from lite import views

app_name = "lite"

# The lite page of /articles/<slug>/ is /lite/articles/<slug>/, and so on: the
# full address with /lite in front (after the language's prefix).
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<str:slug>/", views.ArticleView.as_view(), name="article"),
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
]
