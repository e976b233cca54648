from django.urls import path

from . import views

app_name = "discovery_pages"
urlpatterns = [
    path("devices/<int:pk>/", views.discover, name="device"),
    path("sweeps/<int:pk>/credentials/", views.sweep_credentials, name="sweep_credentials"),
    path("sweeps/<int:pk>/run/", views.sweep_run, name="sweep_run"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
