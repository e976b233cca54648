"""Pages of irtis.mail outside the registry; mounted under /mail/."""

from django.urls import path

from . import views

app_name = "mail_pages"

urlpatterns = [
    path("accepted-domains/<int:pk>/check/", views.check_domain, name="check_domain"),
    path("certificates/expiring/", views.certificates, name="certificates"),
]
