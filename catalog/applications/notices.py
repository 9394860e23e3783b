"""Notices stored as a message key and its parameters, rendered in the reader's language when shown.

A package defines its keys once (``define``) with an English source text (translated through the catalogue) and,
for parameters that are choices, the labels to show for them. Parameters ending in ``_at`` hold ISO date-times and
are shown in Asia/Ho_Chi_Minh as 30/11/2026 14:05. Older notices keep their frozen ``text``.
"""

import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from ocop.links import public_url
from ocop.messaging import mail

from .models import Notice

_MESSAGES: dict[str, tuple] = {}


def define(key: str, text, **choices) -> str:
    """Register ``key`` with its (lazily translated) text; ``choices`` map a parameter's values to labels."""
    _MESSAGES[key] = (text, choices)
    return key


def _shown(name: str, value, choices: dict) -> str:
    if name in choices:
        return str(dict(choices[name]).get(value, value))
    if name.endswith("_at") and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    return str(value)


def render(key: str, params: dict) -> str:
    """The message in the active language (an unknown key shows as itself, never as an error)."""
    if key not in _MESSAGES:
        return key
    text, choices = _MESSAGES[key]
    return str(text) % {name: _shown(name, value, choices) for name, value in (params or {}).items()}


def param_time(moment: datetime.datetime) -> str:
    return moment.isoformat()


@transaction.atomic
def notify(users, *, key: str, params: dict, link: str = "") -> list[Notice]:
    """A notice to each user (same transaction) and one e-mail to them after commit, in Vietnamese and English."""
    users = [user for user in users if getattr(user, "is_active", False)]
    notices = Notice.objects.bulk_create(Notice(user=user, key=key, params=params, link=link) for user in users)
    recipients = sorted({user.email for user in users if user.email})
    if recipients:
        texts = []
        for language in ("vi", "en"):
            with translation.override(language):
                texts.append(render(key, params))
        body = "\n\n".join(texts) + ("\n\n" + public_url(link) if link else "")
        with translation.override("vi"):
            subject = gettext("OCOP Đắk Lắk: %(text)s") % {"text": texts[0][:80]}
        mail.queue(to=recipients, subject=subject, body=body)
    return notices
