from django.urls import path

from . import views

app_name = "tasks_pages"
urlpatterns = [
    path("runs/", views.runs, name="runs"),
    path("runs/<uuid:pk>/progress/", views.progress, name="progress"),
    path("audit-verification/", views.verify_audit_trail, name="verify_audit_trail"),
]
