from django.http import HttpRequest

from .navigation import menu


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    return {"menu": lambda: menu(request.user)}
