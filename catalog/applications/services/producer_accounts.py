"""Producer accounts: invitations by the office (one-time link), self-registration and its approval."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.accounts import services as accounts
from catalog.accounts.models import ProducerTie, TieCode
from catalog.applications import keys
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import (
    ProducerInvitation,
    RegistrationRequest,
)
from catalog.applications.notices import MAIL_LANGUAGE
from catalog.models import Producer
from catalog.permissions import sees_everything
from ocop.links import public_url
from ocop.messaging import mail

from .notifying import notify_producer

INVITATION_VALIDITY = datetime.timedelta(days=7)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _make_producer_user(
    *,
    producer: Producer | None,
    username: str,
    password: str,
    email: str,
    active: bool = True,
    via: str = "",
    actor=None,
):
    user = accounts.open_account(username=username, password=password, email=email, active=active)
    if producer is not None:
        accounts.tie_account(user=user, producer=producer, via=via, actor=actor)
    return user


@transaction.atomic
def invite_producer(*, producer: Producer, email: str, actor, valid_for=INVITATION_VALIDITY):
    """Create a single-use invitation link and email it. Returns ``(invitation, url)``."""
    if not sees_everything(actor) or not actor.has_perm("catalog.add_membership"):
        raise ValidationError(_("Only the OCOP office may invite producers."), code=Code.NOT_ALLOWED.value)
    token = secrets.token_urlsafe(32)
    invitation = ProducerInvitation.objects.create(
        producer=producer,
        email=email,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + valid_for,
        created_by=actor,
    )
    url = public_url(reverse("applications:accept_invitation", args=[token]))
    # Written to someone without an account yet: in the site's language, Vietnamese, whoever invites.
    with translation.override(MAIL_LANGUAGE):
        text = gettext("You are invited to open the OCOP account of %(producer)s. The link is valid until %(until)s.")
        text %= {
            "producer": producer.name,
            "until": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y %H:%M"),
        }
        subject = gettext("OCOP Đắk Lắk: your producer account")
    mail.queue(to=[email], subject=subject, body=f"{text}\n\n{url}")
    audit.log(actor=actor, action="producer.invited", instance=producer, after={"email": email})
    return invitation, url


def find_invitation(token: str) -> ProducerInvitation | None:
    """The invitation for ``token`` if it can still be used, else None."""
    return (
        ProducerInvitation.objects.select_related("producer")
        .filter(token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def accept_invitation(*, token: str, username: str, password: str):
    invitation = (
        ProducerInvitation.objects.select_for_update()
        .filter(token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _(
                "This invitation link is not valid: it has expired or has already been used. "
                "Ask the OCOP office for a new one."
            ),
            code=Code.INVITATION_INVALID.value,
        )
    user = _make_producer_user(
        producer=invitation.producer,
        username=username,
        password=password,
        email=invitation.email,
        via=ProducerTie.Via.INVITATION,
        actor=invitation.created_by,
    )
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    audit.log(
        actor=user,
        action="producer.account_created",
        instance=invitation.producer,
        after={"user": user.get_username(), "via": "invitation"},
    )
    return user


@transaction.atomic
def register_producer_account(
    *,
    registration_number: str,
    producer_name: str,
    email: str,
    username: str,
    password: str,
    channel: str = TieCode.Channel.SMS,
    language: str = "vi",
) -> TieCode | RegistrationRequest:
    """Self-registration. Nothing the visitor types ties the account to a producer.

    A producer in the registry: a one-time code goes to its phone (or e-mail) ON RECORD, and the account opens
    when the code is entered (``TieCode``). A number the registry does not know: the account is created inactive
    and the request waits for the OCOP office (``RegistrationRequest``).
    """
    number = registration_number.strip().upper()
    producer = Producer.objects.filter(registration_number__iexact=number).first()
    if producer is not None:
        return accounts.request_code(
            producer=producer, channel=channel, username=username, password=password, email=email, language=language
        )
    user = _make_producer_user(producer=None, username=username, password=password, email=email, active=False)
    return RegistrationRequest.objects.create(
        user=user,
        registration_number=number,
        producer_name=producer_name.strip(),
        email=email,
    )


@transaction.atomic
def approve_registration(*, request: RegistrationRequest, actor, producer: Producer | None = None):
    request = RegistrationRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if request.status != RegistrationRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code=Code.ALREADY_DECIDED.value)
    producer = (
        producer
        or request.producer
        or Producer.objects.filter(registration_number__iexact=request.registration_number).first()
    )
    if producer is None:
        raise ValidationError(
            _("No producer with registration number %(number)s is in the registry: add the producer first."),
            code=Code.REGISTRATION_MISMATCH.value,
            params={"number": request.registration_number},
        )
    user = request.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    accounts.tie_account(user=user, producer=producer, via=ProducerTie.Via.OFFICE, actor=actor)
    request.status = RegistrationRequest.Status.APPROVED
    request.producer = producer
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    audit.log(actor=actor, action="producer.account_approved", instance=producer, after={"user": user.get_username()})
    notify_producer(producer, key=keys.ACCOUNT_APPROVED, params={}, link=reverse("applications:list"))
    return user


@transaction.atomic
def reject_registration(*, request: RegistrationRequest, actor) -> RegistrationRequest:
    request = RegistrationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RegistrationRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code=Code.ALREADY_DECIDED.value)
    request.status = RegistrationRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    return request
