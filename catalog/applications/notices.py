"""Messages stored as a key and its parameters, rendered in the reader's language when shown.

A package defines its keys once (``define``) with an English source text (translated through the catalogue) and,
for parameters that are choices, the labels to show for them. What is stored is the key and JSON parameters, never
a sentence: notices, the steps of an application's history, operators' notices all render here, in the language of
the page (or of the mail) that shows them. How a parameter is shown:

- a parameter named in ``choices`` shows its label (a status, a level); a list shows each item, joined by "; ";
- ``{"vi": …, "en": …}`` shows the reader's language (a product's or a document kind's ``names``);
- a name ending in ``_at`` holds an ISO date-time, shown in Asia/Ho_Chi_Minh as 30/11/2026 14:05, one ending in
  ``_on`` an ISO date, shown as 30/11/2026;
- a number is shown in the Vietnamese format (12.640.000; 59,5), except an ``id``;

Rows written before a kind was converted keep their frozen text, shown as it is.
"""

import datetime
import re

from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import get_language, gettext

from catalog import formats
from ocop.links import public_url
from ocop.messaging import mail

from .models import Notice

#: The language people are written to (mail, SMS): no account stores a language of its own yet.
MAIL_LANGUAGE = "vi"
_MESSAGES: dict[str, tuple] = {}
#: Keys whose text is too loose to recognise in a frozen sentence ("%(kind)s: %(file)s" matches any colon).
_UNRECOGNISABLE: set[str] = set()


def define(key: str, text, *, recognisable: bool = True, **choices) -> str:
    """Register ``key`` with its (lazily translated) text; ``choices`` map a parameter's values to labels."""
    _MESSAGES[key] = (text, choices)
    if not recognisable:
        _UNRECOGNISABLE.add(key)
    return key


def _discover() -> None:
    """Import every package's ``notices`` (and ``keys``) module, where keys are defined, once they are needed
    before the code that uses them was imported (a page listing notices of every kind)."""
    autodiscover_modules("notices", "keys")


def _shown(name: str, value, choices: dict) -> str:
    if isinstance(value, list):
        return "; ".join(_shown(name, item, choices) for item in value)
    if name in choices:
        return str(dict(choices[name]).get(value, value))
    if isinstance(value, dict):
        english = (get_language() or "").startswith("en")
        return str(value.get("en") if english and value.get("en") else value.get("vi", ""))
    if isinstance(value, str) and name.endswith("_at"):
        moment = parse_datetime(value)
        if moment is not None:
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, str) and name.endswith("_on"):
        day = parse_date(value)
        if day is not None:
            return formats.date(day)
    if formats.is_number(value) and name != "id":
        return formats.number(value)
    return str(value)


def render(key: str, params: dict, fallback: str = "") -> str:
    """The message in the active language; an unknown key shows ``fallback`` (the frozen text) or the key itself,
    never an error."""
    if key not in _MESSAGES:
        _discover()
    if key not in _MESSAGES:
        return fallback or key
    text, choices = _MESSAGES[key]
    return (str(text) % {name: _shown(name, value, choices) for name, value in (params or {}).items()}).strip()


def parse(text: str) -> tuple[str, dict] | None:
    """The key and parameters a frozen sentence (in Vietnamese or English) was made from, or ``None``: how the data
    migrations convert rows written before their kind was keyed. A choice must be one of its labels."""
    _discover()
    text = (text or "").strip()
    for key, (template, choices) in _MESSAGES.items():
        if key in _UNRECOGNISABLE:
            continue
        for language in ("vi", "en"):
            with translation.override(language):
                source = str(template).strip()
                labels = {
                    name: {str(label): value for value, label in dict(options).items()}
                    for name, options in choices.items()
                }
            found = _match(source, text)
            if found is None or any(found.get(name) not in labels[name] for name in labels if name in found):
                continue
            params = {name: labels[name][value] if name in labels else value for name, value in found.items()}
            if params.get("id", "").isdigit():
                params["id"] = int(params["id"])
            return key, params
    return None


def _match(template: str, text: str) -> dict | None:
    parts = re.split(r"%\((\w+)\)s", template.replace("%%", "%"))
    pattern, seen = "", set()
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern += re.escape(part)
        elif part in seen:
            pattern += f"(?P={part})"
        else:
            seen.add(part)
            pattern += f"(?P<{part}>.*?)"
    found = re.fullmatch(pattern, text, flags=re.DOTALL)
    return found.groupdict() if found else None


def render_in(language: str, key: str, params: dict) -> str:
    with translation.override(language):
        return render(key, params)


def param_time(moment: datetime.datetime) -> str:
    return moment.isoformat()


def param_date(day: datetime.date) -> str:
    return day.isoformat()


def queue_mail(recipients, *, key: str, params: dict, link: str = "", language: str = MAIL_LANGUAGE):
    """The message e-mailed (through the outbox) in the recipients' language (``MAIL_LANGUAGE``)."""
    recipients = sorted(set(recipients) - {""})
    if not recipients:
        return None
    with translation.override(language):
        text = render(key, params)
        subject = gettext("OCOP Đắk Lắk: %(text)s") % {"text": text[:80]}
    body = text + ("\n\n" + public_url(link) if link else "")
    return mail.queue(to=recipients, subject=subject, body=body)


@transaction.atomic
def notify(users, *, key: str, params: dict, link: str = "", fallback_emails=()) -> list[Notice]:
    """A notice to each active user (same transaction) and one e-mail to them after commit; with no user to
    tell, the e-mail goes to ``fallback_emails`` (a producer's registered address)."""
    users = [user for user in users if getattr(user, "is_active", False)]
    notices = Notice.objects.bulk_create(Notice(user=user, key=key, params=params, link=link) for user in users)
    queue_mail({user.email for user in users if user.email} or set(fallback_emails), key=key, params=params, link=link)
    return notices
