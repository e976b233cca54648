"""Inbound e-mail through the real SMTP receiver on loopback: requests, threads and bad input."""

import gzip
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from irtis.servicedesk import smtp
from irtis.servicedesk.models import Request
from tests.support.smtp import HOST, free_port

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver() -> Iterator[int]:
    port = free_port()
    running = smtp.controller(HOST, port)
    running.start()
    yield port
    running.stop()


def send(port: int, message: EmailMessage, mail_from: str = "jonas@muitine.lt") -> None:
    with smtplib.SMTP(HOST, port) as client:
        client.send_message(message, from_addr=mail_from, to_addrs=["pagalba@muitine.lt"])


def mail(subject: str, body: str = "Neveikia MDAS", sender: str = "jonas@muitine.lt", **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "pagalba@muitine.lt", subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def test_a_mail_becomes_a_request_and_replies_thread_into_it(receiver: int) -> None:
    jonas = factories.person("jonas")
    queue = factories.queue()
    first = mail("Neveikia MDAS", Message_ID="<pirmas@muitine.lt>")
    send(receiver, first)
    request = Request.objects.get()
    assert (request.requester, request.verified, request.queue, request.channel) == (jonas, True, queue, "email")
    send(receiver, mail("Re: Neveikia MDAS", "Vis dar neveikia", In_Reply_To="<pirmas@muitine.lt>"))
    send(receiver, mail(f"Atsakymas [{request.number}]", "Jau veikia"))
    assert [m.body for m in request.messages.order_by("id")] == ["Vis dar neveikia", "Jau veikia"]
    assert Request.objects.count() == 1


def test_an_unknown_or_forged_sender_makes_an_unverified_request(receiver: int) -> None:
    jonas = factories.person("jonas")
    send(receiver, mail("Nežinomas", sender="kazkas@example.com"), mail_from="kazkas@example.com")
    send(receiver, mail("Apsimetėlis"), mail_from="bounce@example.com")  # From: jonas, envelope elsewhere
    unknown, forged = Request.objects.order_by("id")
    assert (unknown.verified, unknown.requester, unknown.requester_email) == (False, None, "kazkas@example.com")
    assert (forged.verified, forged.requester) == (False, None)
    assert not Request.objects.filter(requester=jonas).exists()


def test_auto_replies_never_open_a_request(receiver: int) -> None:
    factories.person("jonas")
    send(receiver, mail("Neveikia", Message_ID="<p@m.lt>"))
    request = Request.objects.get()
    send(receiver, mail("Automatinis atsakymas: esu atostogose", Auto_Submitted="auto-replied"))
    send(receiver, mail("Out of office", Precedence="bulk"))
    send(receiver, mail("Re: Neveikia", "Esu atostogose", Auto_Submitted="auto-replied", In_Reply_To="<p@m.lt>"))
    assert Request.objects.count() == 1
    assert request.messages.get().automatic


def test_a_sender_past_the_limit_is_deferred(receiver: int, settings: Any) -> None:
    settings.IRTIS_SERVICEDESK_SENDER_LIMIT = 2
    send(receiver, mail("Vienas"))
    send(receiver, mail("Du"))
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(receiver, mail("Trys"))
    assert refused.value.smtp_code == 451
    assert Request.objects.count() == 2


def test_large_and_forbidden_attachments_are_left_out_with_a_note(receiver: int, settings: Any,
                                                                  tmp_path: Path) -> None:
    settings.IRTIS_SERVICEDESK_ATTACHMENT_MB = 0.01
    settings.DATA_DIR = tmp_path
    message = mail("Su priedais")
    message.add_attachment(b"%PDF-1.4 small", maintype="application", subtype="pdf", filename="mazas.pdf")
    message.add_attachment(b"x" * 20000, maintype="application", subtype="pdf", filename="didelis.pdf")
    message.add_attachment(b"MZ", maintype="application", subtype="x-msdownload", filename="virusas.exe")
    send(receiver, message)
    request = Request.objects.get()
    assert [a.name for a in request.attachments.all()] == ["mazas.pdf"]
    assert "didelis.pdf" in request.description and "virusas.exe" in request.description
    archived = list((tmp_path / "servicedesk-mail").glob("*/*.eml.gz"))
    assert len(archived) == 1 and archived[0].name in request.description  # the original, whole
    assert gzip.decompress(archived[0].read_bytes()).count(b"didelis.pdf") >= 1


def test_a_message_over_the_size_limit_is_refused_by_smtp(settings: Any) -> None:
    settings.IRTIS_SERVICEDESK_MESSAGE_MB = 0.05
    port = free_port()
    running = smtp.controller(HOST, port)
    running.start()
    try:
        with pytest.raises(smtplib.SMTPException):
            send(port, mail("Didelis", "x" * 100_000))
    finally:
        running.stop()
    assert not Request.objects.exists()


def test_html_mail_is_stored_as_text_without_scripts(receiver: int) -> None:
    message = mail("HTML")
    message.set_content("<p>Sveiki<script>alert('x')</script><img src=x onerror=alert(1)> &lt;b&gt;</p>",
                        subtype="html")
    send(receiver, message)
    text = Request.objects.get().description
    assert text == "Sveiki <b>"
    assert "alert" not in text
