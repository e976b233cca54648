"""Pages of irtis.systems outside the registry; mounted under /systems/ (see pages.mount)."""

from django.urls import path

from . import views

app_name = "systems_pages"

urlpatterns = [
    path("map/", views.dependency_map, name="map"),
    path("if-this-fails/", views.if_this_fails, name="if_this_fails"),
    path("spof/", views.spof_report, name="spof"),
    path("technical-services/", views.technical_services, name="technical_services"),
    path("certificates/expiring/", views.expiring_certificates, name="certificates_expiring"),
]
