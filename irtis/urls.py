from django.contrib.auth import views as auth_views
from django.urls import include, path

from irtis.core import pages
from irtis.core.api import api
from irtis.core.urls import model_urlpatterns

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", pages.global_search, name="search"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    *model_urlpatterns(),
]
