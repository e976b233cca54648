from django.http import HttpRequest

from .navigation import menu


def navigation(request: HttpRequest) -> dict:
    # A request refused before the authentication middleware (a host not allowed: the 400 page)
    # has no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu": lambda: menu(user)}
