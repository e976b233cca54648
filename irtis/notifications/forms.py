"""The user's notification preferences: the language of messages, and a channel and digest window per kind."""

import hashlib
import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import Channel, Preference, Profile

MAX_DIGEST = 24 * 60


def current(user: Any) -> dict[str, Any]:
    """What holds for the user now: {"language": …, kind code: (channel, digest)}."""
    profile = Profile.objects.filter(user=user).first()
    stored = {p.kind: p for p in Preference.objects.filter(user=user)}
    values: dict[str, Any] = {"language": profile.language if profile else settings.LANGUAGE_CODE}
    for kind in kinds.all_kinds():
        found = stored.get(kind.code)
        values[kind.code] = (found.channel, found.digest) if found else (kind.channel, kind.digest)
    return values


def fingerprint(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


class PreferencesForm(forms.Form):
    """One channel and one digest field per kind; `state` refuses a save over a newer one."""

    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)
    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        self.values = current(user)
        initial = {"language": self.values["language"], "state": fingerprint(self.values)}
        for kind in kinds.all_kinds():
            initial[f"{kind.code}:channel"], initial[f"{kind.code}:digest"] = self.values[kind.code]
        super().__init__(*args, initial=initial, **kwargs)
        self.rows = []
        for kind in kinds.all_kinds():
            channel = forms.ChoiceField(label=kind.label, choices=Channel.choices)
            digest = forms.IntegerField(label=_("Digest window (minutes)"), min_value=0, max_value=MAX_DIGEST)
            self.fields[f"{kind.code}:channel"], self.fields[f"{kind.code}:digest"] = channel, digest
            self.rows.append((kind, self[f"{kind.code}:channel"], self[f"{kind.code}:digest"]))

    def clean_state(self) -> str:
        if self.cleaned_data["state"] != fingerprint(self.values):
            raise ValidationError(
                _("Your preferences were changed elsewhere since this page was opened; here they are now."),
                code="stale",
            )
        return self.cleaned_data["state"]

    def save(self) -> bool:
        """Store what differs from what holds now (each write audited); whether anything did."""
        changed = False
        with transaction.atomic():
            if self.cleaned_data["language"] != self.values["language"]:
                profile = Profile.objects.filter(user=self.user).first() or Profile(user=self.user)
                profile.language = self.cleaned_data["language"]
                profile.full_clean()
                profile.save()
                changed = True
            stored = {p.kind: p for p in Preference.objects.select_for_update().filter(user=self.user)}
            for kind in kinds.all_kinds():
                wanted = (self.cleaned_data[f"{kind.code}:channel"], self.cleaned_data[f"{kind.code}:digest"])
                if wanted == tuple(self.values[kind.code]):
                    continue
                preference = stored.get(kind.code) or Preference(user=self.user, kind=kind.code)
                preference.channel, preference.digest = wanted
                preference.full_clean()
                preference.save()
                changed = True
        return changed
