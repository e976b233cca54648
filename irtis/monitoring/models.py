"""Checks and what they found: the checks (registered), each check's current state, its state
changes, raw response times and their hourly roll-ups, the derived state changes of information
systems, and incidents (registered)."""

import ipaddress
import re
import socket
from datetime import datetime, timedelta
from datetime import time as time_of_day
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.systems.models import InformationSystem
from irtis.tasks.models import queue_choices

# What a check may watch: "app_label.model" of the objects whose state a check decides.
TARGETS = (
    "inventory.device", "virtualization.virtualmachine", "network.ipaddress", "databases.dbmsinstance",
    "systems.certificate", "systems.informationsystem", "systems.component",
)
MIN_INTERVAL = 10
OID = re.compile(r"\.?[0-2](\.\d{1,10}){1,127}")  # numeric, as the agent is asked without MIBs
SNMP_PORT = 161


class State(models.TextChoices):
    UP = "up", _("up")
    DEGRADED = "degraded", _("degraded")
    DOWN = "down", _("down")
    UNKNOWN = "unknown", _("unknown")


def resolvable(host: str) -> str | None:
    """None if `host` is an IP address or a name the resolver knows; else the reason."""
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    try:
        socket.getaddrinfo(host.encode("idna").decode("ascii"), None)
    except (OSError, UnicodeError) as exc:
        return str(exc)
    return None


@register(
    group="operations",
    columns=("name", "kind", "target_type", "target_id", "host", "port", "interval", "zone", "enabled"),
    filters=("kind", "zone", "enabled", "target_type", "target_id"),
    search=("host", "url", "description"),
)
class Check(TaggedModel):
    """A periodic check (patikra) of one object: is it reachable and does it answer as it should."""

    class Kind(models.TextChoices):
        TCP = "tcp", _("TCP connect")
        HTTP = "http", _("HTTP(S) status, keyword and response time")
        TLS = "tls", _("TLS certificate validity and expiry")
        DNS = "dns", _("DNS resolution")
        ICMP = "icmp", _("ICMP echo (ping)")
        SNMP = "snmp", _("SNMP value against a threshold")

    class Compare(models.TextChoices):
        """How an SNMP value is compared with the warning and critical values: the state is down
        when `value <op> critical` holds, else degraded when `value <op> warning` holds."""

        GT = "gt", ">"
        GE = "ge", "≥"
        LT = "lt", "<"
        LE = "le", "≤"
        EQ = "eq", "="
        NE = "ne", "≠"

    name = NameField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TCP)
    target_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("object type"))
    target_id = models.BigIntegerField(_("object id"))
    # Chosen in forms as a kind, then an object of that kind (core.choices), as Dependency's ends.
    target = GenericForeignKey("target_type", "target_id")
    host = models.CharField(_("host"), max_length=253, blank=True,
                            help_text=_("Name or IP address; for HTTP(S) checks the address's host is used."))
    port = models.PositiveIntegerField(_("port"), null=True, blank=True,
                                       validators=[MinValueValidator(1), MaxValueValidator(65535)])
    url = models.CharField(_("address (URL)"), max_length=500, blank=True, help_text=_("For HTTP(S) checks."))
    expect_status = models.PositiveSmallIntegerField(
        _("expected HTTP status"), default=200, validators=[MinValueValidator(100), MaxValueValidator(599)])
    keyword = models.CharField(_("keyword"), max_length=200, blank=True,
                               help_text=_("The answer must contain this text."))
    expect_address = models.CharField(_("expected address"), max_length=45, blank=True,
                                      help_text=_("DNS checks: the name must resolve to this address."))
    slow_ms = models.PositiveIntegerField(_("degraded above (ms)"), null=True, blank=True,
                                          help_text=_("An answer slower than this marks the object degraded."))
    expiry_days = models.PositiveSmallIntegerField(
        _("warn days before expiry"), default=30, help_text=_("TLS checks: degraded this many days before expiry."))
    verify_tls = models.BooleanField(_("verify the certificate"), default=True)
    oid = models.CharField(_("OID"), max_length=300, blank=True,
                           help_text=_("SNMP checks: the numeric object identifier read, e.g. 1.3.6.1.2.1.2.2.1.8.1 "
                                       "(ifOperStatus of interface 1)."))
    compare = models.CharField(
        _("comparison"), max_length=2, choices=Compare.choices, default=Compare.GE,
        help_text=_("SNMP checks: down when the value compares so with the critical value, degraded when with "
                    "the warning value. =, ≠ compare text (e.g. ifOperStatus ≠ 1); the others numbers."))
    warning = models.CharField(_("warning value"), max_length=100, blank=True)
    critical = models.CharField(_("critical value"), max_length=100, blank=True)
    interval = models.PositiveIntegerField(_("interval (s)"), default=60, validators=[MinValueValidator(MIN_INTERVAL)])
    timeout = models.PositiveSmallIntegerField(_("timeout (s)"), default=5,
                                               validators=[MinValueValidator(1), MaxValueValidator(60)])
    retries = models.PositiveSmallIntegerField(_("retries"), default=1, validators=[MaxValueValidator(5)],
                                               help_text=_("Further attempts before the check counts as failed."))
    zone = models.CharField(_("network zone"), max_length=32, default="default", choices=queue_choices,
                            help_text=_("The worker of this zone's queue runs the check."))
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["name"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="monitoring_check_target"),
                   collation.index("name", "monitoring_check_lt")]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        """The host the check connects to."""
        if self.kind == self.Kind.HTTP:
            return urlsplit(self.url).hostname or ""
        return self.host

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.target_type_id is not None and self.target_id is not None:
            kind = ContentType.objects.get_for_id(self.target_type_id)
            model = kind.model_class()
            if f"{kind.app_label}.{kind.model}" not in TARGETS:
                errors["target_type"] = str(_("Checks watch devices, virtual machines, IP addresses, DBMS "
                                              "instances, certificates, information systems and components."))
            elif model is None or not model._default_manager.filter(pk=self.target_id).exists():
                errors["target_id"] = str(_("No such object."))
        if self.kind == self.Kind.HTTP:
            parts = urlsplit(self.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                errors["url"] = str(_("Enter an http:// or https:// address."))
        elif not self.host:
            errors["host"] = str(_("Enter the host to check."))
        if self.kind in (self.Kind.TCP, self.Kind.TLS) and self.port is None:
            errors["port"] = str(_("Enter the port to connect to."))
        if self.kind == self.Kind.SNMP:
            errors.update(self._snmp_errors())
        if self.expect_address:
            try:
                ipaddress.ip_address(self.expect_address)
            except ValueError:
                errors["expect_address"] = str(_("Enter an IP address."))
        if "host" not in errors and "url" not in errors and self.kind != self.Kind.DNS and self.address:
            reason = resolvable(self.address)
            if reason is not None:
                field = "url" if self.kind == self.Kind.HTTP else "host"
                errors[field] = str(_("The host %(host)s cannot be resolved (%(reason)s).")
                                    % {"host": self.address, "reason": reason})
        if errors:
            raise ValidationError(errors)

    def _snmp_errors(self) -> dict[str, str]:
        errors = {}
        if not OID.fullmatch(self.oid or ""):
            errors["oid"] = str(_("Enter a numeric OID such as 1.3.6.1.2.1.1.3.0."))
        if self.compare not in (self.Compare.EQ, self.Compare.NE):
            for field in ("warning", "critical"):
                value = getattr(self, field)
                if value and number(value) is None:
                    errors[field] = str(_("Enter a number: %(compare)s compares numbers.")
                                        % {"compare": self.Compare(self.compare).label})
        return errors


def number(text: str) -> float | None:
    """The text as a number (a comma as the decimal mark too), or None."""
    try:
        found = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return found if found == found and abs(found) != float("inf") else None  # no NaN or infinity


class CheckSecret(models.Model):
    """An SNMP check's community or SNMPv3 user and keys, as JSON encrypted with the key kept
    outside the database (irtis.core.secrets); set and read only by `irtis.monitoring.secrets`."""

    check_obj = models.OneToOneField(Check, models.CASCADE, primary_key=True, related_name="secret",
                                     verbose_name=_("check"))
    ciphertext = models.BinaryField(_("encrypted credentials"))
    key_id = models.CharField(_("key fingerprint"), max_length=16)

    class Meta:
        verbose_name = _("SNMP credentials")
        verbose_name_plural = _("SNMP credentials")

    def __str__(self) -> str:
        return f"{self.check_obj_id}: SNMP credentials"


class CheckState(models.Model):
    """Where a check stands: its state since when, when it ran and is due. Kept apart from the
    check so that running it never bumps the check's version (an edit form stays valid)."""

    check_obj = models.OneToOneField(Check, models.CASCADE, primary_key=True, related_name="status",
                                     verbose_name=_("check"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.UNKNOWN)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    since = models.DateTimeField(_("since"), default=timezone.now)
    checked_at = models.DateTimeField(_("last checked"), null=True)
    due_at = models.DateTimeField(_("due"), default=timezone.now, db_index=True)
    response_ms = models.FloatField(_("response time (ms)"), null=True)

    class Meta:
        verbose_name = _("check state")
        verbose_name_plural = _("check states")

    def __str__(self) -> str:
        return f"{self.check_obj_id}: {self.state}"


class Change(models.Model):
    """A state that began at `at`: only changes are stored, not every result."""

    at = models.DateTimeField(_("time"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        abstract = True


class StateChange(Change):
    """A check's state changed at `at`."""

    check_obj = models.ForeignKey(Check, models.CASCADE, related_name="changes", verbose_name=_("check"))

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["check_obj", "at"]
        # A retried run writes the same change again: the key makes the second write a no-op.
        constraints = [models.UniqueConstraint(fields=["check_obj", "at"], name="monitoring_change_unique")]

    def __str__(self) -> str:
        return f"{self.check_obj_id} {self.at:%Y-%m-%d %H:%M:%S} {self.state}"


class Sample(models.Model):
    """A raw response time, kept IRTIS_MONITORING_RAW_HOURS hours, then rolled up into `Rollup`."""

    check_obj = models.ForeignKey(Check, models.CASCADE, related_name="+", verbose_name=_("check"))
    at = models.DateTimeField(_("time"), db_index=True)
    ms = models.FloatField(_("response time (ms)"), null=True)  # none: no answer

    class Meta:
        verbose_name = _("response time")
        verbose_name_plural = _("response times")
        indexes = [models.Index(fields=["check_obj", "at"], name="monitoring_sample_check")]

    def __str__(self) -> str:
        return f"{self.check_obj_id} {self.at:%H:%M:%S} {self.ms}"


class Rollup(models.Model):
    """Response times of a check in one hour: count, failures, min / average / max."""

    check_obj = models.ForeignKey(Check, models.CASCADE, related_name="rollups", verbose_name=_("check"))
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("answers"))
    failures = models.PositiveIntegerField(_("failures"))
    min_ms = models.FloatField(_("minimum (ms)"), null=True)
    avg_ms = models.FloatField(_("average (ms)"), null=True)
    max_ms = models.FloatField(_("maximum (ms)"), null=True)

    class Meta:
        verbose_name = _("hourly response times")
        verbose_name_plural = _("hourly response times")
        constraints = [models.UniqueConstraint(fields=["check_obj", "hour"], name="monitoring_rollup_unique")]

    def __str__(self) -> str:
        return f"{self.check_obj_id} {self.hour:%Y-%m-%d %H}"


class SystemChange(Change):
    """An information system's derived state (through the dependency graph) changed at `at`."""

    system = models.ForeignKey(InformationSystem, models.CASCADE, related_name="+", verbose_name=_("system"))

    class Meta:
        verbose_name = _("system state change")
        verbose_name_plural = _("system state changes")
        ordering = ["system", "at"]
        constraints = [models.UniqueConstraint(fields=["system", "at"], name="monitoring_system_change_unique")]
        # Covering the availability report's reading of a year of changes (system, time, state).
        indexes = [models.Index(fields=["system", "at", "state"], name="monitoring_system_change_cover")]

    def __str__(self) -> str:
        return f"{self.system_id} {self.at:%Y-%m-%d %H:%M:%S} {self.state}"


# --- incidents ------------------------------------------------------------------------------

# Cyber Security Law (KSĮ, NIS2 art. 23): early warning within 24 h of detection, notification
# within 72 h, final report within a month of the notification.
EARLY_WARNING = timedelta(hours=24)
NOTIFICATION = timedelta(hours=72)
FINAL_REPORT = timedelta(days=30)
REPORTS = {"early_warning": _("early warning"), "notification": _("incident notification"),
           "final_report": _("final report")}


def next_number() -> str:
    """The next incident number of this year: INC-2026-0042."""
    prefix = f"INC-{timezone.now():%Y}-"
    last = (Incident.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    tail = last.removeprefix(prefix) if last else "0"
    return f"{prefix}{int(tail) + 1 if tail.isdigit() else 1:04d}"


@register(
    group="operations",
    columns=("number", "title", "severity", "status", "detected_at", "assignee", "significant"),
    filters=("status", "severity", "source", "significant"),
    search=("title", "root_cause", "review", "cause"),
    key="number",
)
class Incident(TaggedModel):
    """An incident (incidentas): one cause and everything it stopped or degraded."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RESOLVED = "resolved", _("resolved")

    class Severity(models.TextChoices):
        CRITICAL = "critical", _("critical")
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    class Source(models.TextChoices):
        CHECK = "check", _("check")
        ALERT = "alert", _("external alert")
        MANUAL = "manual", _("entered by hand")

    number = models.CharField(_("number"), max_length=20, unique=True, blank=True,
                              help_text=_("Given when left empty: INC-<year>-<sequence>."))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    cause = models.CharField(_("cause"), max_length=300, blank=True,
                             help_text=_("The failed objects that caused it, as found by the checks."))
    systems: "models.ManyToManyField[InformationSystem, models.Model]" = models.ManyToManyField(
        InformationSystem, blank=True, related_name="incidents", verbose_name=_("affected systems"))
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("assignee"))
    root_cause = models.TextField(_("root cause"), blank=True)
    review = models.TextField(_("post-incident review"), blank=True)
    significant = models.BooleanField(
        _("significant (Cyber Security Law)"), default=False,
        help_text=_("Reported to the national CSIRT: early warning 24 h, notification 72 h, final report in a month."))
    early_warning_at = models.DateTimeField(_("early warning sent"), null=True, blank=True)
    notification_at = models.DateTimeField(_("notification sent"), null=True, blank=True)
    final_report_at = models.DateTimeField(_("final report sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.number:
            self.number = next_number()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        for field in ("acknowledged_at", "resolved_at"):
            value = getattr(self, field)
            if value is not None and self.detected_at is not None and value < self.detected_at:
                errors[field] = _("Cannot be before the incident was detected.")
        if self.status == self.Status.RESOLVED and self.resolved_at is None:
            errors["resolved_at"] = _("A resolved incident needs the time it was resolved.")
        if errors:
            raise ValidationError(errors)

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        return self.acknowledged_at - self.detected_at if self.acknowledged_at else None

    @property
    def time_to_resolve(self) -> timedelta | None:
        return self.resolved_at - self.detected_at if self.resolved_at else None

    def deadlines(self) -> list[tuple[str, datetime, datetime | None]]:
        """The reports the Cyber Security Law asks of a significant incident: (code, due, sent);
        REPORTS names the codes."""
        if not self.significant:
            return []
        notified = self.notification_at or self.detected_at + NOTIFICATION
        return [
            ("early_warning", self.detected_at + EARLY_WARNING, self.early_warning_at),
            ("notification", self.detected_at + NOTIFICATION, self.notification_at),
            ("final_report", notified + FINAL_REPORT, self.final_report_at),
        ]


class IncidentObject(models.Model):
    """An object an incident concerns: a failed cause, or an object that failed with it."""

    incident = models.ForeignKey(Incident, models.CASCADE, related_name="linked", verbose_name=_("incident"))
    object_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("object type"))
    object_id = models.BigIntegerField(_("object id"))
    is_cause = models.BooleanField(_("cause"), default=False)
    down = models.BooleanField(_("still down"), default=True)

    class Meta:
        verbose_name = _("incident object")
        verbose_name_plural = _("incident objects")
        constraints = [models.UniqueConstraint(fields=["incident", "object_type", "object_id"],
                                               name="monitoring_incident_object_unique")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.object_type_id}-{self.object_id}"


class Alert(models.Model):
    """An external monitor's alert (Prometheus Alertmanager, Zabbix), one row per alert whatever
    the number of notifications about it: its last known status and that status's time."""

    source = models.CharField(_("source"), max_length=20)
    fingerprint = models.CharField(_("fingerprint"), max_length=200)
    name = models.CharField(_("name"), max_length=300, blank=True)
    firing = models.BooleanField(_("firing"), default=True)
    event_at = models.DateTimeField(_("time of the last status"))
    object_type = models.ForeignKey(ContentType, models.CASCADE, null=True, related_name="+",
                                    verbose_name=_("object type"))
    object_id = models.BigIntegerField(_("object id"), null=True)
    received = models.PositiveIntegerField(_("notifications received"), default=1)

    class Meta:
        verbose_name = _("external alert")
        verbose_name_plural = _("external alerts")
        constraints = [models.UniqueConstraint(fields=["source", "fingerprint"], name="monitoring_alert_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.name or self.fingerprint}"


class AlertChange(models.Model):
    """A status an external alert reported, at the time the monitor gave it: the alert's history,
    from which availability counts the time it fired. Notifications may arrive out of order,
    so a late one still takes its place here though the alert's status stays the newest."""

    alert = models.ForeignKey(Alert, models.CASCADE, related_name="changes", verbose_name=_("external alert"))
    firing = models.BooleanField(_("firing"))
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("external alert's status")
        verbose_name_plural = _("external alerts' statuses")
        constraints = [models.UniqueConstraint(fields=["alert", "at", "firing"], name="monitoring_alertchange_unique")]

    def __str__(self) -> str:
        return f"{self.alert_id} {'firing' if self.firing else 'resolved'} {self.at:%Y-%m-%d %H:%M}"



class AlertNotification(models.Model):
    """A webhook's notification accepted and not yet applied (`irtis.monitoring.inbox`): the
    raw body, who sent it and from where (the audit trail's actor of what it changes)."""

    source = models.CharField(_("source"), max_length=20)
    body = models.TextField(_("body"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("sender"))
    source_ip = models.GenericIPAddressField(_("IP address"), null=True)
    error = models.TextField(_("error"), blank=True)  # why it could not be applied; kept, not retried

    class Meta:
        verbose_name = _("alert notification waiting")
        verbose_name_plural = _("alert notifications waiting")
        # The working off takes the oldest waiting ones: through this index, not by reading every
        # row applied and deleted since the last VACUUM (a seq scan of 7,600 pages, 18 ms, after
        # 100,000 notifications on a server without autovacuum).
        indexes = [models.Index(fields=["id"], condition=models.Q(error=""), name="alert_inbox_waiting")]

    def __str__(self) -> str:
        return f"{self.source} {self.received_at:%Y-%m-%d %H:%M:%S}"

# --- service levels (SLA) ---------------------------------------------------------------------


def parse_days(text: str) -> frozenset[int]:
    """ISO weekday numbers (1 Monday … 7 Sunday) from "1-5", "1,3,5" or "1-3,6"; ValueError if
    the text is not such a list."""
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, _dash, last = part.partition("-")
        low, high = int(first), int(last or first)
        if not 1 <= low <= high <= 7:
            raise ValueError(part)
        days.update(range(low, high + 1))
    return frozenset(days)


def _time_zone(value: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone: %(zone)s (e.g. Europe/Vilnius).") % {"zone": value}) from None


def clock(value: str) -> time_of_day:
    """A local time of day from "HH:MM"; ValueError otherwise."""
    if len(value) != 5 or value[2] != ":":
        raise ValueError(value)
    return time_of_day(int(value[:2]), int(value[3:]))


def _clock(value: str) -> None:
    try:
        clock(value)
    except ValueError:
        raise ValidationError(_("Enter a time of day as HH:MM, e.g. 08:00.")) from None


@register(
    group="operations",
    columns=("system", "hours", "days", "opens", "closes", "public_holidays", "exclude_maintenance"),
    filters=("hours", "public_holidays", "exclude_maintenance", "system"),
    search=("description",),
    key="id",
)
class ServiceLevel(TaggedModel):
    """An information system's service level (SLA): when availability is counted, and whether
    approved maintenance counts. The target itself is the system's `availability_target`. A
    system without one is measured around the clock with approved maintenance left out."""

    class Hours(models.TextChoices):
        ALWAYS = "24x7", _("around the clock (24×7)")
        WORKING = "working", _("working hours")

    system = models.OneToOneField(InformationSystem, models.CASCADE, related_name="service_level",
                                  verbose_name=_("information system"))
    hours = models.CharField(_("service hours"), max_length=10, choices=Hours.choices, default=Hours.WORKING)
    days = models.CharField(_("working days"), max_length=20, default="1-5",
                            help_text=_("ISO weekday numbers, 1 Monday … 7 Sunday: 1-5, or 1,3,5."))
    # "HH:MM" text rather than TimeField: files (YAML, XLSX) and the API carry it as written.
    opens = models.CharField(_("service starts"), max_length=5, default="08:00", validators=[_clock],
                             help_text=_("Local time, HH:MM."))
    closes = models.CharField(_("service ends"), max_length=5, default="17:00", validators=[_clock],
                              help_text=_("Local time, HH:MM."))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Vilnius", validators=[_time_zone])
    public_holidays = models.BooleanField(
        _("Lithuanian public holidays excluded"), default=True,
        help_text=_("Public holidays of Lithuania are outside service hours (working hours only)."))
    exclude_maintenance = models.BooleanField(
        _("approved maintenance excluded"), default=True,
        help_text=_("Time inside approved maintenance windows is not counted, neither as down time nor as "
                    "time measured."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["system"]

    def __str__(self) -> str:
        return f"{self.system} ({self.get_hours_display()})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            parse_days(self.days)
        except ValueError:
            errors["days"] = _("Enter weekday numbers 1–7 as a list or ranges, e.g. 1-5 or 1,3,5.")
        try:
            ends_first = clock(self.closes) <= clock(self.opens)
        except ValueError:  # the field's own validator says so
            ends_first = False
        if self.hours == self.Hours.WORKING and ends_first:
            errors["closes"] = _("Service must end after it starts (the same day).")
        if errors:
            raise ValidationError(errors)
