"""Pages of irtis.procurement outside the registry; mounted under /procurement/."""

from django.urls import path, re_path

from . import views

app_name = "procurement_pages"
FORMAT = r"(?P<fmt>docx|pdf)"  # irtis.architecture.report.FORMATS

urlpatterns = [
    path("specifications/<int:pk>/do/<str:action>/", views.specification_action, name="specification_action"),
    path("specifications/<int:pk>/diff/", views.specification_diff, name="specification_diff"),
    re_path(rf"^specifications/(?P<pk>[0-9]+)/{FORMAT}/$", views.specification_file, name="specification_file"),
    path("procurements/<int:pk>/evaluation/", views.procurement_evaluation, name="evaluation"),
    re_path(rf"^procurements/(?P<pk>[0-9]+)/report/{FORMAT}/$", views.procurement_report, name="report"),
    path("procurements/<int:pk>/scoring/", views.procurement_scoring, name="scoring"),
    path("licence-compliance/", views.licence_compliance, name="licences"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("external-services/<int:pk>/statement/", views.service_statement, name="statement"),
    path("specifications/<int:pk>/assemble/", views.specification_assemble, name="specification_assemble"),
    path("supplier-sla/", views.supplier_rollup, name="rollup"),
    path("suppliers/<int:pk>/sla/", views.supplier_sla, name="supplier_sla"),
    re_path(rf"^suppliers/(?P<pk>[0-9]+)/sla/{FORMAT}/$", views.supplier_sla_file, name="supplier_sla_file"),
    path("suppliers/<int:pk>/sla/send/", views.supplier_sla_send, name="supplier_sla_send"),
]
