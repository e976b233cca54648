"""The site's URLs plus the inventory's own pages, until irtis/urls.py includes them."""

from django.urls import include, path

from irtis.urls import urlpatterns as site_patterns

urlpatterns = [path("inventory/", include("irtis.inventory.urls")), *site_patterns]
