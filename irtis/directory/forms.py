"""The write-only bind password form, and the site of a controller recorded from a reading."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from irtis.core import permissions
from irtis.inventory.models import Site

SECRET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("bind password"), max_length=255, widget=SECRET, strip=False)


class ControllerForm(forms.Form):
    """Which recorded site a controller that AD has and the records lack is recorded at."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=255)
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = permissions.restrict(Site.objects.all(), user)
