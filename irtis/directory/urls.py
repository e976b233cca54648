from django.urls import path

from . import views

app_name = "directory_pages"
urlpatterns = [
    path("domains/<int:pk>/password/", views.password, name="password"),
    path("domains/<int:pk>/read/", views.read_now, name="read"),
    path("domains/<int:pk>/apply/", views.apply, name="apply"),
]
