from django.http import HttpRequest

from .navigation import menu


def navigation(request: HttpRequest) -> dict:
    return {"menu": menu} if request.user.is_authenticated else {}
