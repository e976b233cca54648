"""Pages of irtis.access outside the registry; mounted under /access/ by the platform."""

from django.urls import path

from . import views

app_name = "access_pages"

urlpatterns = [
    path("mine/", views.my_requests, name="mine"),
    path("to-approve/", views.to_approve, name="to_approve"),
    path("request-actions/<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path("membership-revoke/<int:pk>/", views.revoke, name="revoke"),
    path("campaign-actions/<int:pk>/<str:action>/", views.campaign_action, name="campaign_action"),
]
