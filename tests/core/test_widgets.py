"""A select's options are written by its own template (irtis/templates/django/forms/widgets/select.html),
not by an included template each: a form page renders some ninety selects, a lookup up to a
hundred options each. The HTML is Django's, to the byte."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test.signals import template_rendered

WIDGETS = [
    (forms.Select(choices=[("", "---------"), (1, "<a & b>"), (2, "Antras")]), 1),
    (forms.Select(choices=[(1, "Vienas")], attrs={"class": "form-select", "required": True, "disabled": False}), None),
    (forms.SelectMultiple(choices=[("Grupė", [(1, "a"), (2, "b")]), (3, "c")]), [1, 3]),
    (forms.NullBooleanSelect(), True),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_a_select_renders_as_djangos_own(widget: forms.Select, value: object) -> None:
    assert widget.render("pasirinkimas", value, renderer=get_default_renderer()) == widget.render(
        "pasirinkimas", value, renderer=DjangoTemplates())


def test_options_are_not_templates_of_their_own() -> None:
    rendered: list[str] = []

    def count(sender: object, template: object, **kwargs: object) -> None:
        rendered.append(template.name)

    widget = forms.Select(choices=[(n, f"Nr. {n}") for n in range(100)])
    template_rendered.connect(count)
    try:
        html = widget.render("nr", 7, renderer=get_default_renderer())
    finally:
        template_rendered.disconnect(count)
    assert html.count("<option") == 100 and '<option value="7" selected>' in html
    assert rendered == ["django/forms/widgets/select.html", "django/forms/widgets/attrs.html"]
