"""Inventory pages that are not generated from the registry; included under /inventory/."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

app_name = "inventory_pages"

MOVED = {"mail-systems": "mail", "mail-servers": "mail",
         "directory-domains": "directory", "domain-controllers": "directory"}

urlpatterns = [
    path("racks/<int:pk>/elevation.svg", views.rack_elevation, name="rack_elevation"),
    path("reports/out-of-support/", views.out_of_support, name="out_of_support"),
    path("reports/power/", views.power, name="power"),
    path("reports/mobile/", views.mobile, name="mobile_access"),
    # Models moved to apps of their own: bookmarks of their former pages lead there.
    *[re_path(rf"^{moved}/(?P<rest>.*)$", RedirectView.as_view(url=f"/{app}/{moved}/%(rest)s", permanent=True,
                                                                query_string=True))
      for moved, app in MOVED.items()],
]
