"""Pages of irtis.projects outside the registry; mounted under /projects/."""

from django.urls import path

from . import views

app_name = "projects_pages"

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
]
