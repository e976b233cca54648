"""Pages of irtis.backups outside the registry; mounted under /backups/."""

from django.urls import path

from . import views

app_name = "backups_pages"

urlpatterns = [
    path("coverage/", views.board, name="board"),
    path("coverage/<int:pk>/", views.history, name="history"),
    path("repository/<int:pk>/password/", views.set_password, name="password"),
    path("repository/<int:pk>/read/", views.read_repository, name="read"),
    path("policy/<int:pk>/drill/", views.start_drill, name="drill"),
    path("drill/<int:pk>/report.pdf", views.drill_report, name="report"),
]
