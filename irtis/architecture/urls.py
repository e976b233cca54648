"""Architecture descriptions; included under /architecture/ (app namespace "architecture")."""

from django.urls import path, re_path

from . import views

app_name = "architecture"

FORMAT = r"(?P<fmt>docx|pdf)"  # the formats written as files (irtis.architecture.jobs.FILE_FORMATS)

urlpatterns = [
    path("", views.index, name="index"),
    path("infrastructure/", views.infrastructure_description, name="infrastructure"),
    re_path(rf"^infrastructure/{FORMAT}/$", views.generate_infrastructure, name="infrastructure_file"),
    path("systems/<str:code>/", views.system_description, name="system"),
    re_path(rf"^systems/(?P<code>[^/]+)/{FORMAT}/$", views.generate_system, name="system_file"),
    path("files/<uuid:pk>/", views.download, name="file"),
]
