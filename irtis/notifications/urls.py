"""Pages of notifications, mounted under /notifications/."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/test/", views.send_test, name="test"),
    path("messages/", views.message_log, name="messages"),
    path("messages/<int:pk>/resend/", views.resend, name="resend"),
]
