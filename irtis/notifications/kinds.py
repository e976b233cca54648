"""Kinds of events that notify people, declared by the apps that raise them.

    # irtis/operations/apps.py, in ready():
    from irtis.notifications import kinds
    kinds.register("operations.incident_opened", _("Incident opened"),
                   subject=_("Incident %(object)s opened"),
                   template="operations/notifications/incident_opened.txt", digest=1)

`subject` is a translated string formatted with the event's context and `object` (the object's
name); `template` renders one event inside the e-mail (context: `event`, `kind`, `object`, `url`
and the event's context). Each user may change the channel and the digest window of every kind.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    subject: str | Promise
    template: str
    channel: str = "both"  # default of Preference.channel
    digest: int = 5  # minutes events wait to be sent together, by default

    def title(self, context: dict, object_repr: str) -> str:
        """The subject of one event, in the active language (its label if the context no longer fits)."""
        try:
            return str(self.subject) % {**context, "object": object_repr}
        except (KeyError, ValueError, TypeError):
            return str(object_repr or self.label)


_kinds: dict[str, Kind] = {}


def register(
    code: str,
    label: str | Promise,
    *,
    subject: str | Promise,
    template: str = "notifications/events/default.txt",
    channel: str = "both",
    digest: int = 5,
) -> Kind:
    """Declare a kind of event (from an app's ready(); again with the same code replaces it)."""
    kind = Kind(code, label, subject, template, channel, digest)
    _kinds[code] = kind
    return kind


def get(code: str) -> Kind:
    """The kind named `code`; KeyError names an undeclared one."""
    try:
        return _kinds[code]
    except KeyError:
        raise KeyError(f"No notification kind {code!r} is registered") from None


def lookup(code: str) -> Kind:
    """The kind named `code`, or a stand-in for one whose app is gone (its events still show)."""
    return _kinds.get(code) or Kind(code, code, code, "notifications/events/default.txt")


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.code)


TEST = register(
    "notifications.test",
    _("Test message"),
    subject=_("Test message from irtis"),
    template="notifications/events/test.txt",
    digest=0,
)
