"""Pages of irtis.risks outside the registry; mounted under /risks/."""

from django.urls import path

from . import views

app_name = "risks_pages"

urlpatterns = [
    path("import/", views.import_scan, name="import"),
    path("registers/", views.registers_index, name="registers"),
    path("registers/<int:pk>/", views.register_page, name="register"),
    path("registers/<int:pk>/register.pdf", views.register_pdf, name="register_pdf"),
]
