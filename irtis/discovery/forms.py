"""The discovery form: where the agent is and how to authenticate; the API validates through it too."""

import ipaddress
import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from irtis.core import permissions
from irtis.network.models import VRF

from . import snmp

HOST_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?",
                       re.IGNORECASE)
SECRET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})


class CredentialsForm(forms.Form):
    """How to authenticate to an SNMP agent (v2c community or v3 user and keys); the secrets'
    inputs never show a value. Also the SNMP checks' credentials form (irtis.monitoring)."""

    version = forms.ChoiceField(label=_("SNMP version"), choices=[("2c", "SNMPv2c"), ("3", "SNMPv3")], initial="2c")
    community = forms.CharField(label=_("community"), required=False, max_length=255, widget=SECRET)
    user = forms.CharField(label=_("SNMPv3 user"), required=False, max_length=255)
    level = forms.ChoiceField(label=_("security level"), initial="authPriv",
                              choices=[(v, v) for v in snmp.LEVELS])
    auth_protocol = forms.ChoiceField(label=_("authentication protocol"), initial="SHA",
                                      choices=[(v, v) for v in snmp.AUTH_PROTOCOLS])
    auth_key = forms.CharField(label=_("authentication key"), required=False, max_length=255, widget=SECRET)
    priv_protocol = forms.ChoiceField(label=_("privacy protocol"), initial="AES",
                                      choices=[(v, v) for v in snmp.PRIV_PROTOCOLS])
    priv_key = forms.CharField(label=_("privacy key"), required=False, max_length=255, widget=SECRET)

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # a form's cleaned_data
        if data.get("version") == "2c":
            if not data.get("community"):
                self.add_error("community", _("SNMPv2c needs a community."))
            return data
        if not data.get("user"):
            self.add_error("user", _("SNMPv3 needs a user name."))
        level = data.get("level", "")
        needed = {"noAuthNoPriv": (), "authNoPriv": ("auth_key",), "authPriv": ("auth_key", "priv_key")}
        for name in needed.get(level, ()):
            if len(data.get(name) or "") < 8:  # RFC 3414: shorter passphrases are refused by agents
                self.add_error(name, _("An SNMPv3 key has at least 8 characters."))
        return data

    def credentials(self) -> snmp.Credentials:
        data = self.cleaned_data
        return snmp.Credentials(
            version=data["version"], community=data["community"], user=data["user"], level=data["level"],
            auth_protocol=data["auth_protocol"], auth_key=data["auth_key"],
            priv_protocol=data["priv_protocol"], priv_key=data["priv_key"],
        )


class DiscoveryForm(CredentialsForm):
    field_order = ("address", "port")
    address = forms.CharField(label=_("address"), max_length=255,
                              help_text=_("IP address or DNS name of the device's SNMP agent."))
    port = forms.IntegerField(label=_("UDP port"), initial=161, min_value=1, max_value=65535)
    vrf = forms.ModelChoiceField(label=_("VRF"), queryset=VRF.objects.none(), required=False,
                                 empty_label=_("global table"),
                                 help_text=_("Where discovered addresses are recorded."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["vrf"]).queryset = permissions.restrict(VRF.objects.all(), user)

    def clean_address(self) -> str:
        """An IP address or a DNS name (international names as IDNA allows them)."""
        address = cast(str, self.cleaned_data["address"]).strip()
        try:
            ipaddress.ip_address(address)
            return address
        except ValueError:
            pass
        try:
            ascii_name = address.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_name = ""
        if not HOST_NAME.fullmatch(ascii_name):
            raise forms.ValidationError(_("Enter an IP address or a DNS name."))
        return address

    def read(self) -> snmp.Reading:
        """Read the agent with the entered credentials (they end with the request)."""
        return snmp.read(self.cleaned_data["address"], self.cleaned_data["port"], self.credentials())
