"""Pages of irtis.governance outside the registry; mounted under /governance/ by the platform."""

from django.urls import path, re_path

from . import baseline_views, proposal_views, views

app_name = "governance_pages"

urlpatterns = [
    path("drift/", views.drift, name="drift"),
    re_path(r"^drift/export/(?P<fmt>csv|xlsx)/$", views.drift_export, name="drift_export"),
    path("radar/", views.radar_page, name="radar"),
    path("conformance/", views.conformance, name="conformance"),
    path("conformance/evaluate/", views.evaluate, name="evaluate"),
    path("requirements/", views.requirements_index, name="requirements"),
    path("requirements/<int:pk>/requirements.docx", views.requirements_docx, name="requirements_docx"),
    path("baselines/infrastructure/", baseline_views.infrastructure_baselines, name="baselines_infrastructure"),
    path("baselines/system/<int:pk>/", baseline_views.system_baselines, name="baselines_system"),
    path("proposals/upload/", proposal_views.upload, name="upload"),
    path("proposals/schema/", proposal_views.schema_view, name="schema"),
    path("proposals/<int:pk>/check/", proposal_views.check, name="check"),
    path("proposals/<int:pk>/plan/", proposal_views.plan, name="plan"),
    path("proposals/<int:pk>/report.<str:fmt>", proposal_views.report, name="report"),
]
