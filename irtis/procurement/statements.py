"""Suppliers' service level statements: the roll-up of their external services (`sla`), the
statement as DOCX and PDF (`word`), and sending it to the supplier by e-mail.

    suppliers_rollup(user, months, supplier=None)  -> [SupplierTotal, …]    the same queries, whatever the count
    recipient(supplier, contact_id=None)           -> (name, address)       CannotSend without one
    send(total, contact_id=None)                   -> the address written to; CannotSend without a
                                                      mail server (IRTIS_SMTP_HOST) or an address

The e-mail goes through the platform's SMTP connection (`irtis.notifications.mail`: its server,
TLS and CA settings, its sender) with both files attached; each file is recorded in the audit
trail (`document_generated`, its SHA-256 and the address), once it has been handed to the server.
"""

import datetime as dt
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from irtis.architecture import report
from irtis.core import permissions
from irtis.notifications import events, mail

from . import sla, word
from .models import ExternalService, Supplier


class CannotSend(Exception):
    """No mail server is configured or the supplier has no address; the message says what to do."""


def suppliers_rollup(user: Any, months: int = 6, supplier: Supplier | None = None,
                     now: dt.datetime | None = None) -> list[sla.SupplierTotal]:
    """The external services the user may view, measured and totalled per supplier."""
    services = permissions.restrict(ExternalService.objects.all(), user).select_related("supplier", "contract")
    services = services.filter(supplier__in=permissions.restrict(Supplier.objects.all(), user))
    if supplier is not None:
        services = services.filter(supplier=supplier)
    return sla.by_supplier(sla.rollup(services.order_by("supplier__name", "name"), months, now))


def total_of(user: Any, supplier: Supplier, months: int, now: dt.datetime | None = None) -> sla.SupplierTotal:
    found = suppliers_rollup(user, months, supplier, now)
    if found:
        return found[0]
    starts = sla.month_starts(months, timezone.localtime(now or timezone.now()).date())
    return sla.SupplierTotal(supplier, [], [sla.MonthTotal(m) for m in starts])


def recipient(supplier: Supplier, contact_id: int | None = None) -> tuple[str, str]:
    """The contact chosen, else the supplier's own address, else its first contact with one."""
    contacts = supplier.contacts.exclude(email="").order_by("name", "id")
    if contact_id is not None:
        contact = contacts.filter(pk=contact_id).first()
        if contact is None:
            raise CannotSend(_("The chosen contact is not %(supplier)s's or has no e-mail address.")
                                   % {"supplier": supplier.name})
        return contact.name, contact.email
    if supplier.email:
        return supplier.name, supplier.email
    contact = contacts.first()
    if contact is None:
        raise CannotSend(_("%(supplier)s has no e-mail address: record one for the supplier or one of its "
                                 "contacts.") % {"supplier": supplier.name})
    return contact.name, contact.email


def file_name(total: sla.SupplierTotal, fmt: str) -> str:
    first, last = total.months[0].start, total.months[-1].start
    return f"sla-{total.supplier.pk}-{first:%Y-%m}-{last:%Y-%m}.{fmt}"


def send(total: sla.SupplierTotal, contact_id: int | None = None) -> str:
    """E-mail the statement (DOCX and PDF) to the supplier; the address it went to. SMTP errors
    propagate (nothing is recorded as sent)."""
    if not events.mail_enabled():
        raise CannotSend(_("No mail server is configured (IRTIS_SMTP_HOST), so nothing can be e-mailed: download "
                           "the statement and send it yourself."))
    supplier = total.supplier
    name, address = recipient(supplier, contact_id)
    files = {fmt: word.supplier_statement(total, fmt) for fmt in report.FORMATS}
    first, last = total.months[0].start, total.months[-1].start
    with translation.override("lt"):
        subject = _("Service level statement %(first)s – %(last)s") % {"first": f"{first:%Y-%m}",
                                                                       "last": f"{last:%Y-%m}"}
        body = _("Dear %(name)s,\n\nattached is the service level statement of %(supplier)s for %(first)s – "
                 "%(last)s: availability, response and resolution times, breaches and penalties "
                 "(%(total)s in total).\n\nThe ICT division") % {
            "name": name, "supplier": supplier.name, "first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}",
            "total": f"{total.total:.2f}".replace(".", ",")}
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[formataddr((name, address))], headers={"Content-Language": "lt"},
                           connection=mail.connection())
    for fmt, content in files.items():
        message.attach(file_name(total, fmt), content, report.CONTENT_TYPES[fmt])
    message.send()
    for fmt, content in files.items():
        report.record(content, fmt, supplier, file_name(total, fmt), sent_to=address)
    return address
