"""Pages of irtis.security outside the registry; mounted under /security/."""

from django.urls import path

from . import views

app_name = "security_pages"

urlpatterns = [
    path("dashboard/", views.board, name="board"),
    path("dashboard/evaluate/", views.evaluate, name="evaluate"),
    path("control/<int:pk>/results/", views.results, name="results"),
    path("framework/<int:pk>/soa/", views.soa, name="soa"),
    path("framework/<int:pk>/soa.pdf", views.soa_file, {"fmt": "pdf"}, name="soa_pdf"),
    path("framework/<int:pk>/soa.xlsx", views.soa_file, {"fmt": "xlsx"}, name="soa_xlsx"),
    path("framework/<int:pk>/pack/", views.start_pack, name="start_pack"),
    path("pack/<uuid:pk>/", views.pack_file, name="pack"),
    path("evidence/<int:pk>/upload/", views.upload, name="upload"),
    path("evidence/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("evidence/<int:pk>/file/", views.download, name="file"),
]
