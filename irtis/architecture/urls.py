"""Architecture descriptions; included under /architecture/ (app namespace "architecture")."""

from django.urls import path, re_path

from . import views

app_name = "architecture"

urlpatterns = [
    path("", views.index, name="index"),
    path("infrastructure/", views.infrastructure_description, name="infrastructure"),
    re_path(r"^infrastructure/(?P<fmt>docx|pdf)/$", views.infrastructure_description,
            name="infrastructure_file"),
    path("systems/<str:code>/", views.system_description, name="system"),
    re_path(r"^systems/(?P<code>[^/]+)/(?P<fmt>docx|pdf)/$", views.system_description,
            name="system_file"),
]
