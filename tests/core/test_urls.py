"""Routes found by their first segment (`core.urls.SegmentDispatch`) resolve every path as
Django's resolver trying them one by one does, in fewer steps."""

from typing import Any

from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from irtis.core import registry
from irtis.core.urls import SegmentDispatch


def one_by_one(patterns: list[Any]) -> list[Any]:
    """The same routes with every dispatch replaced by its routes (it has no prefix of its own)."""
    flat = []
    for pattern in patterns:
        if isinstance(pattern, SegmentDispatch):
            flat.extend(one_by_one(pattern.url_patterns))
        elif isinstance(pattern, URLResolver):
            flat.append(URLResolver(pattern.pattern, one_by_one(pattern.url_patterns), pattern.default_kwargs,
                                    pattern.app_name, pattern.namespace))
        else:
            flat.append(pattern)
    return flat


def answer(resolver: URLResolver, path: str) -> tuple[Any, ...]:
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return ("404",)
    return match.func, match.args, match.kwargs, match.url_name, match.namespaces, match.route


def paths() -> list[str]:
    found = ["/", "/search/", "/lookup/inventory.device/", "/login/", "/access/roles/", "/access/roles/3/",
             "/i18n/setlang/", "/api/docs", "/api/openapi.json", "/nothing/", "/api/nothing/", "/apiary/",
             "/inventory/nothing/", "/api/inventory/devices/x/y/", "/inventory/deviceroles/3/"]
    for entry in registry.entries():
        for base in (f"/{entry.app_label}/{entry.path}/", f"/api/{entry.app_label}/{entry.path}/"):
            found += [base, f"{base}7/", f"{base}7/edit/", f"{base}add/", f"{base}bulk-edit/", f"{base}7/related/x/"]
        found.append(f"/{entry.app_label}/{registry.plural(entry.model_name)}/7/")
    return found


def test_every_path_resolves_as_trying_each_route_would() -> None:
    site = get_resolver()
    plain = URLResolver(RegexPattern(r"^/"), one_by_one(site.url_patterns))
    assert any(isinstance(p, SegmentDispatch) for p in site.url_patterns)
    checked = paths()
    for path in checked:
        assert answer(site, path) == answer(plain, path), path
    assert sum(answer(site, path) != ("404",) for path in checked) > len(checked) // 2
