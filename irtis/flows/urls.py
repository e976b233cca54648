"""Pages of irtis.flows outside the registry; mounted under /flows/ by the platform."""

from django.urls import path

from . import views

app_name = "flows_pages"

urlpatterns = [
    path("matrix/", views.matrix, name="matrix"),
    path("analysis/", views.report, name="report"),
    path("flow-actions/<int:pk>/<str:action>/", views.flow_action, name="flow_action"),
    path("firewall-review/<int:pk>/", views.firewall_review, name="firewall_review"),
    path("firewall-upload/<int:pk>/", views.firewall_upload, name="firewall_upload"),
    path("firewall-analysis/<int:pk>/", views.firewall_analysis, name="firewall_analysis"),
]
