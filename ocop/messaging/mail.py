"""E-mail to people (producers, operators, reporters), carried by the outbox.

``queue`` records the message in the transaction of the change that causes it; the outbox worker sends it
after commit, retrying while the mail server is unreachable. A change that rolls back sends nothing.
"""

import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ocop.outbox import services as outbox

SEND_MAIL = "mail.send"
SMTP_SUBSCRIBER = "smtp"


def queue(*, to, subject: str, body: str, key: str = "") -> outbox.OutboxEvent | None:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    with transaction.atomic():
        return outbox.record(
            SEND_MAIL, key=key or recipients[0], payload={"to": recipients, "subject": subject, "body": body}
        )


def deliver(event) -> None:
    """Outbox subscriber: send one queued message. Refused recipients are not retried."""
    payload = event.payload
    try:
        send_mail(payload["subject"], payload["body"], settings.DEFAULT_FROM_EMAIL, payload["to"], fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise outbox.PermanentDeliveryError(f"Recipients refused: {exc.recipients}") from exc
