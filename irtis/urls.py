from django.contrib.auth import views as auth_views
from django.urls import include, path

from irtis.core import lookup, pages
from irtis.core.api import api
from irtis.core.urls import app_urlpatterns, dispatched, model_urlpatterns, nested
from irtis.identity import urls as identity_urls
from irtis.identity import views as identity_views

urlpatterns = dispatched([
    path("", pages.home, name="home"),
    path("search/", pages.global_search, name="search"),
    path("lookup/<str:label>/", lookup.lookup, name="lookup"),
    path("login/", identity_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include(identity_urls.account)),
    path("access/roles/", include(identity_urls.roles)),
    path("access/", include(identity_urls.access)),
    path("api/", (nested(api.urls[0]), *api.urls[1:])),
    *app_urlpatterns(),
    *model_urlpatterns(),
])

handler404 = pages.page_not_found
