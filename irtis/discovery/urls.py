from django.urls import path

from . import views

app_name = "discovery"
urlpatterns = [path("devices/<int:pk>/", views.discover, name="device")]
