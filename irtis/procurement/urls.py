"""Pages of irtis.procurement outside the registry; mounted under /procurement/."""

from django.urls import path

from . import views

app_name = "procurement_pages"

urlpatterns = [
    path("specifications/<int:pk>/do/<str:action>/", views.specification_action, name="specification_action"),
    path("specifications/<int:pk>/diff/", views.specification_diff, name="specification_diff"),
    path("specifications/<int:pk>/docx/", views.specification_docx, name="specification_docx"),
    path("procurements/<int:pk>/evaluation/", views.procurement_evaluation, name="evaluation"),
    path("procurements/<int:pk>/report/", views.procurement_report, name="report"),
    path("procurements/<int:pk>/scoring/", views.procurement_scoring, name="scoring"),
    path("licence-compliance/", views.licence_compliance, name="licences"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("external-services/<int:pk>/statement/", views.service_statement, name="statement"),
]
