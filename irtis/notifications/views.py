"""Pages: the user's notifications and the bell, their preferences, and the log of sent e-mails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.core import permissions

from . import delivery, events, kinds
from .forms import PreferencesForm
from .models import Message, Notification

PER_PAGE = 50


def inbox_of(user: object) -> QuerySet[Notification]:
    """The notifications a user sees in irtis, newest first."""
    return Notification.objects.filter(recipient=user, shown=True)


def describe(notification: Notification) -> Notification:
    """Give a notification its `title` and kind `label` in the active language."""
    kind = kinds.lookup(notification.kind)
    notification.title = kind.title(notification.context, notification.object_repr)
    notification.label = str(kind.label)
    return notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = inbox_of(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        rows = rows.filter(read__isnull=True)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [describe(n) for n in page.object_list]
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else "",
        "unread": inbox_of(request.user).filter(read__isnull=True).count(),
    })


def bell(request: HttpRequest) -> HttpResponse:
    """The unread count in the top bar (loaded by htmx, so pages themselves pay no query for it).

    After the session ends it answers 204, which htmx leaves alone (a sign-in page redirected
    to would land inside the button)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    unread = inbox_of(request.user).filter(read__isnull=True).count()
    return render(request, "notifications/bell.html", {"unread": unread})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to its object (`open`) or back to the list."""
    notification = get_object_or_404(inbox_of(request.user), pk=pk)
    if notification.read is None:
        notification.read = timezone.now()
        notification.save(update_fields=["read"])
    target = notification.url if "open" in request.POST else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = inbox_of(request.user).filter(read__isnull=True).update(read=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.save():
                messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
        if form.has_error("state", "stale"):
            messages.error(request, form.errors["state"][0])
            form, status = PreferencesForm(request.user), 409
        else:
            status = 400
    return render(request, "notifications/preferences.html", {
        "form": form, "mail_enabled": events.mail_enabled(), "email": request.user.email,
    }, status=status)


@login_required
@require_POST
def send_test(request: HttpRequest) -> HttpResponse:
    """Send the user a test notification, to check that e-mail reaches them."""
    events.notify(kinds.TEST.code, users=[request.user])
    messages.success(request, _("A test notification is on its way."))
    return redirect("notifications:preferences")


def _may_read_log(user: object) -> bool:
    return permissions.has(user, Message, "view")


@login_required
def message_log(request: HttpRequest) -> HttpResponse:
    """Every e-mail sent or waiting: recipient, subject, status, attempts and last error."""
    if not _may_read_log(request.user):
        raise PermissionDenied
    rows = Message.objects.select_related("recipient")
    status = request.GET.get("status", "")
    if status in Message.Status.values:
        rows = rows.filter(status=status)
    if query := request.GET.get("q", "").strip():
        rows = rows.filter(
            Q(to__icontains=query) | Q(recipient__username__icontains=query) | Q(subject__icontains=query)
        )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/messages.html", {
        "page": page, "status": status, "q": query, "query": _query(request),
        "statuses": Message.Status.choices, "labels": {k.code: str(k.label) for k in kinds.all_kinds()},
        "may_resend": permissions.has(request.user, Message, "change"),
    })


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.has(request.user, Message, "change"):
        raise PermissionDenied
    message = get_object_or_404(Message, pk=pk)
    if message.status == Message.Status.QUEUED:
        messages.info(request, _("This message is already waiting to be sent."))
    else:
        delivery.resend(message)
        transaction.on_commit(events.request_delivery)
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("notifications:messages")
