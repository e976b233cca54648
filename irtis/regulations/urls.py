"""Pages of irtis.regulations outside the registry; mounted under /regulations/."""

from django.urls import path

from . import views

app_name = "regulations_pages"

urlpatterns = [
    path("documents/<int:pk>/text/", views.edit, name="edit"),
    path("documents/<int:pk>/versions/<int:number>/", views.version_page, name="version"),
    path("documents/<int:pk>/do/<str:name>/", views.action, name="action"),
    path("documents/<int:pk>/docx/", views.docx, name="docx"),
    path("versions/<int:pk>/comments/", views.comment, name="comment"),
    path("comments/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("compare/", views.compare, name="compare"),
]
