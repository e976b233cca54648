"""Pages of irtis.changes outside the registry; mounted under /changes/ by the platform."""

from django.urls import path

from . import views

app_name = "changes_pages"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar.ics", views.ical, name="ical"),
    path("window-actions/<int:pk>/<str:action>/", views.window_action, name="window_action"),
    path("change-actions/<int:pk>/<str:action>/", views.change_action, name="change_action"),
]
