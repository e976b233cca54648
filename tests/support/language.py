"""Choosing the pages' language as a user does: the cookie the language switch sets (pages do not
follow the browser's Accept-Language)."""

from django.conf import settings
from django.test import Client


def choose(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
