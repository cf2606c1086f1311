from django.urls import path

from lite import views

app_name = "lite"

# /lite/<slug>/ is the lite page of /articles/<slug>/ (after the language's
# prefix: /ar/lite/<slug>/); the home, tag and search pages sit beside it. A
# slug is one path segment, so tag pages never meet an article; an article
# slugged "search" alone would find the search page in place of its lite page.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("<str:slug>/", views.ArticleView.as_view(), name="article"),
]
