"""Inventory pages that are not generated from the registry; included under /inventory/."""

from django.urls import path

from . import views

app_name = "inventory_pages"

urlpatterns = [
    path("racks/<int:pk>/elevation.svg", views.rack_elevation, name="rack_elevation"),
    path("reports/out-of-support/", views.out_of_support, name="out_of_support"),
    path("reports/power/", views.power, name="power"),
    path("reports/mobile/", views.mobile, name="mobile_access"),
]
