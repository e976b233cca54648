"""Pages of irtis.monitoring outside the registry; mounted under /monitoring/."""

from django.urls import path

from . import credential_views, views, webhook

app_name = "monitoring_pages"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("incidents/<int:pk>/report/<str:kind>.pdf", views.incident_report, name="incident_report"),
    path("alerts/<str:source>/", webhook.receive, name="alerts"),
    path("checks/<int:pk>/snmp-credentials/", credential_views.set_credentials, name="snmp_credentials"),
]
