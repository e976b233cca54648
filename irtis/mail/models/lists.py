"""Comma-separated lists typed by people: "a.lt  B.lt,a.lt" is stored "a.lt, b.lt"."""

import re


def split(text: str, lower: bool = True) -> list[str]:
    """The items of `text`, separated by commas, semicolons or white space, without repeats."""
    items = [i for i in re.split(r"[\s,;]+", text.lower() if lower else text) if i]
    return list(dict.fromkeys(items))


def join(items: list[str]) -> str:
    return ", ".join(items)
