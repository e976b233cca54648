"""Pages of irtis.servicedesk outside the registry; mounted under /servicedesk/."""

from django.urls import path

from . import views

app_name = "servicedesk_pages"

urlpatterns = [
    path("new/", views.new_request, name="new"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("suggest/", views.suggest, name="suggest"),
    path("requests/<int:pk>/write/", views.write, name="write"),
    path("files/<int:pk>/", views.download, name="download"),
    path("articles/<int:pk>/files/<str:name>", views.article_file, name="article_file"),
]
