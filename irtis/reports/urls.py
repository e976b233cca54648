"""Pages of irtis.reports outside the registry; mounted under /reports/."""

from django.urls import path

from . import views

app_name = "reports_pages"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("issued/<str:period>/<str:fmt>/", views.issued, name="issued"),
]
