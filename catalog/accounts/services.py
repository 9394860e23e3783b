"""Producer accounts: opening them, tying them to a producer, suspending a tie, and the probation of young accounts.

An account is tied to a producer only through (a) an invitation from the OCOP office, (b) a request the office
approves, or (c) a one-time code sent to the phone or e-mail ON RECORD in the registry, never to an address the
visitor types: knowing the producer's registration number and phone (both public) proves nothing. Each new tie is
announced to the producer's other accounts and to the OCOP office, who can suspend it in one click.

One-time codes: 6 digits drawn when the message is sent (by the outbox subscriber, after commit), stored only as an
HMAC keyed with the secret key, compared in constant time, valid 15 minutes; 5 wrong tries lock the request (and
new code requests for the producer for a day): then only the office can open the account, by invitation.
A new code may be sent at most twice more, a minute apart, and keeps the count of wrong tries.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.applications.notices import notify, param_time
from catalog.models import Membership, Producer
from catalog.permissions import OCOP_OFFICE, PRODUCER, sees_everything
from ocop.messaging import sms
from ocop.outbox import services as outbox

from . import notices
from .error_codes import AccountErrorCode as Code
from .models import ProducerTie, TieCode
from .permissions import SUSPEND

SEND_TIE_CODE = "accounts.tie_code"
CODE_SUBSCRIBER = "send"
CODE_DIGITS = 6
CODE_VALIDITY = datetime.timedelta(minutes=15)
MAX_WRONG_CODES = 5
MAX_SENDS = 3
RESEND_AFTER = datetime.timedelta(seconds=60)
PRODUCER_LOCK = datetime.timedelta(hours=24)

ASK_THE_OFFICE = _(
    "To open your account now, ask the OCOP office (Văn phòng Điều phối OCOP tỉnh) for an "
    "invitation: it sends a link to the address it has checked."
)


def _advised(message: str) -> str:
    """A refusal that closes self-registration, with what to do next."""
    return f"{message} {ASK_THE_OFFICE}"


# --- Opening an account ----------------------------------------------------------------------------------


def check_new_account(*, username: str, password: str | None, email: str = "") -> None:
    """Refuse a taken or malformed user name, or a weak password (each under its own field)."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ValidationError(_("This user name is taken."), code=Code.INVALID.value)})
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise ValidationError({"username": error}) from None
    if password is not None:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            raise ValidationError({"password": error}) from None


def open_account(
    *, username: str, email: str, password: str | None = None, password_hash: str | None = None, active: bool = True
):
    """A new user (not yet tied to anything). ``password_hash`` when the password was hashed earlier."""
    check_new_account(username=username, password=password, email=email)
    user = get_user_model()(username=username, email=email, is_active=active)
    if password_hash is not None:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    return user


# --- Ties ------------------------------------------------------------------------------------------------


def office_users():
    return get_user_model().objects.filter(is_active=True, groups__name=OCOP_OFFICE).distinct()


def producer_accounts(producer: Producer):
    return get_user_model().objects.filter(is_active=True, ocop_membership__producer=producer)


@transaction.atomic
def tie_account(*, user, producer: Producer, via: str, actor=None) -> ProducerTie:
    """Make ``user`` act for ``producer``; tell the producer's other accounts and the OCOP office."""
    others = list(producer_accounts(producer).exclude(pk=user.pk))
    ProducerTie.objects.filter(user=user, active=True).update(active=False, suspended_at=timezone.now())
    user.groups.add(Group.objects.get(name=PRODUCER))
    Membership.objects.update_or_create(user=user, defaults={"producer": producer, "commune": None})
    tie = ProducerTie.objects.create(
        user=user, producer=producer, via=via, tied_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    audit.log(
        actor=actor if actor is not None else user,
        action="producer.account_tied",
        instance=producer,
        after={"user": user.get_username(), "via": via, "tie": tie.pk},
    )
    params = {
        "username": user.get_username(),
        "producer": producer.name,
        "via": via,
        "tied_at": param_time(tie.tied_at),
    }
    notify(others, key=notices.TIED_FOR_PRODUCER, params=params, link=reverse("applications:notices"))
    notify(office_users(), key=notices.TIED_FOR_OFFICE, params=params, link=reverse("applications:account_ties"))
    return tie


def may_suspend(user) -> bool:
    return sees_everything(user) and user.has_perm(SUSPEND)


@transaction.atomic
def suspend_tie(*, tie: ProducerTie, actor) -> ProducerTie:
    """The office's one click: the account stops acting for the producer at once; who and when are kept."""
    if not may_suspend(actor):
        raise ValidationError(_("Only the OCOP office may suspend an account."), code=Code.NOT_ALLOWED.value)
    tie = ProducerTie.objects.select_for_update().select_related("user", "producer").get(pk=tie.pk)
    if not tie.active:
        raise ValidationError(_("This account's tie is already suspended."), code=Code.ALREADY_SUSPENDED.value)
    tie.active = False
    tie.suspended_at = timezone.now()
    tie.suspended_by = actor
    tie.save(update_fields=["active", "suspended_at", "suspended_by"])
    Membership.objects.filter(user=tie.user, producer=tie.producer).delete()
    tie.user.groups.remove(Group.objects.get(name=PRODUCER))
    audit.log(
        actor=actor,
        action="producer.account_suspended",
        instance=tie.producer,
        after={"user": tie.user.get_username(), "tie": tie.pk},
    )
    notify(
        [tie.user],
        key=notices.SUSPENDED,
        link=reverse("applications:notices"),
        params={
            "username": tie.user.get_username(),
            "producer": tie.producer.name,
            "suspended_at": param_time(tie.suspended_at),
        },
    )
    return tie


# --- Probation of young accounts ----------------------------------------------------------------------------


def account_since(user) -> datetime.datetime:
    """When the account started acting for its producer: its opening or its latest tie, whichever is later."""
    tied = ProducerTie.objects.filter(user=user, active=True).order_by("-tied_at").values_list("tied_at", flat=True)
    return max([user.date_joined, *tied[:1]])


def is_young(since: datetime.datetime, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) - since < datetime.timedelta(days=settings.ACCOUNTS_PROBATION_DAYS)


def on_probation(user, *, now: datetime.datetime | None = None) -> bool:
    """Whether ``user`` is a producer account younger than ``ACCOUNTS_PROBATION_DAYS`` (the office approves its
    label sheets and large serial requests). Staff accounts are made by the office itself: never on probation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not Membership.objects.filter(user=user, producer__isnull=False).exists():
        return False
    return is_young(account_since(user), now=now)


# --- One-time codes ---------------------------------------------------------------------------------------


def code_hash(challenge: TieCode, code: str) -> str:
    """HMAC of the code, keyed with the secret key and bound to the request: a leaked table does not give codes."""
    message = f"tie-code:{challenge.pk}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _contact_on_record(producer: Producer, channel: str) -> str:
    return (producer.phone if channel == TieCode.Channel.SMS else producer.email).strip()


def _masked_contact(contact: str, channel: str) -> str:
    if channel == TieCode.Channel.SMS:
        return sms.masked(contact)
    name, _at, domain = contact.partition("@")
    return f"{name[:1]}•••@{domain}"


def producer_locked(producer: Producer, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return TieCode.objects.filter(producer=producer, locked_at__gt=now - PRODUCER_LOCK).exists()


def _record_send(challenge: TieCode) -> None:
    challenge.sends += 1
    challenge.last_sent_at = timezone.now()
    challenge.save(update_fields=["sends", "last_sent_at"])
    outbox.record(SEND_TIE_CODE, key=challenge.pk, payload={"code_id": challenge.pk})


@transaction.atomic
def request_code(
    *, producer: Producer, channel: str, username: str, password: str, email: str, language: str = "vi"
) -> TieCode:
    """Send a code to ``producer``'s contact on record; the account opens once the code is entered."""
    if channel not in TieCode.Channel.values:
        raise ValidationError(
            {"channel": ValidationError(_("Choose how to receive the code."), code=Code.INVALID.value)}
        )
    if producer_locked(producer):
        raise ValidationError(
            _advised(
                gettext(
                    "Too many wrong codes were entered for this producer recently: self-registration is "
                    "locked for a day."
                )
            ),
            code=Code.PRODUCER_LOCKED.value,
        )
    contact = _contact_on_record(producer, channel)
    if not contact:
        raise ValidationError(
            _advised(
                gettext("The registry has no %(channel)s for this producer.")
                % {"channel": gettext("phone") if channel == TieCode.Channel.SMS else gettext("e-mail address")},
            ),
            code=Code.NO_CONTACT_ON_RECORD.value,
        )
    check_new_account(username=username, password=password, email=email)
    challenge = TieCode.objects.create(
        producer=producer,
        channel=channel,
        sent_to=_masked_contact(contact, channel),
        language=language[:8],
        username=username,
        email=email,
        password=make_password(password),
    )
    _record_send(challenge)
    return challenge


def _refusal(challenge: TieCode, now: datetime.datetime) -> ValidationError | None:
    if challenge.used_at is not None:
        return ValidationError(_("This code has already been used: sign in."), code=Code.CODE_USED.value)
    if challenge.locked_at is not None:
        return ValidationError(
            _advised(gettext("Too many wrong codes: this request is locked.")),
            code=Code.CODE_LOCKED.value,
        )
    return None


@transaction.atomic
def resend_code(*, challenge: TieCode) -> TieCode:
    """A new code for the same request; wrong tries so far still count."""
    challenge = TieCode.objects.select_for_update().get(pk=challenge.pk)
    now = timezone.now()
    refusal = _refusal(challenge, now)
    if refusal is not None:
        raise refusal
    if challenge.sends >= MAX_SENDS:
        raise ValidationError(
            _advised(gettext("No more codes can be sent for this request.")), code=Code.RESEND_LIMIT.value
        )
    if challenge.last_sent_at and now - challenge.last_sent_at < RESEND_AFTER:
        raise ValidationError(_("Wait a minute before asking for a new code."), code=Code.RESEND_TOO_SOON.value)
    _record_send(challenge)
    return challenge


def verify_code(*, challenge: TieCode, code: str):
    """Open the account and tie it when ``code`` is right; else count a wrong try (5 lock the request)."""
    now = timezone.now()
    with transaction.atomic():
        challenge = TieCode.objects.select_for_update().select_related("producer").get(pk=challenge.pk)
        refusal = _refusal(challenge, now)
        if refusal is None:
            given = "".join(ch for ch in str(code) if ch.isdigit())[:CODE_DIGITS]
            right = bool(challenge.code_hash) and hmac.compare_digest(challenge.code_hash, code_hash(challenge, given))
            if right and challenge.expires_at and now <= challenge.expires_at:
                user = open_account(
                    username=challenge.username, email=challenge.email, password_hash=challenge.password
                )
                challenge.used_at = now
                challenge.user = user
                challenge.password = ""
                challenge.save(update_fields=["used_at", "user", "password"])
                tie_account(user=user, producer=challenge.producer, via=ProducerTie.Via.CODE)
                return user
            if right:
                refusal = ValidationError(_("This code has expired: ask for a new one."), code=Code.CODE_EXPIRED.value)
            else:
                refusal = _count_wrong_code(challenge, now)
    # Outside the block: the wrong try is committed before the refusal is raised.
    raise refusal


def _count_wrong_code(challenge: TieCode, now: datetime.datetime) -> ValidationError:
    challenge.attempts += 1
    if challenge.attempts < MAX_WRONG_CODES:
        challenge.save(update_fields=["attempts"])
        left = MAX_WRONG_CODES - challenge.attempts
        return ValidationError(
            _("This code is not right. %(left)s tries left."), code=Code.CODE_WRONG.value, params={"left": left}
        )
    challenge.locked_at = now
    challenge.code_hash = ""
    challenge.password = ""
    challenge.save(update_fields=["attempts", "locked_at", "code_hash", "password"])
    audit.log(
        actor=None,
        action="producer.tie_code_locked",
        instance=challenge.producer,
        after={"username": challenge.username, "request": challenge.pk},
    )
    notify(
        office_users(),
        key=notices.CODE_LOCKED_FOR_OFFICE,
        link=reverse("applications:account_ties"),
        params={"username": challenge.username, "producer": challenge.producer.name, "locked_at": param_time(now)},
    )
    return ValidationError(
        _advised(gettext("Too many wrong codes: this request is locked.")), code=Code.CODE_LOCKED.value
    )


def _code_message(challenge: TieCode, code: str) -> tuple[str, str]:
    with translation.override(challenge.language):
        text = gettext(
            'OCOP Dak Lak: code %(code)s ties the account "%(username)s" to %(producer)s, valid 15 minutes. '
            "If you did not ask for it, give it to no one and tell the OCOP office."
        ) % {"code": code, "username": challenge.username, "producer": challenge.producer.name}
        subject = gettext("OCOP Đắk Lắk: your one-time code")
    return subject, text


def deliver_code(event) -> None:
    """Outbox subscriber: draw a fresh code, keep its hash, send it to the contact on record. A repeated delivery
    draws another code, which replaces the first; a request that is used or locked gets nothing."""
    now = timezone.now()
    with transaction.atomic():
        challenge = (
            TieCode.objects.select_for_update().select_related("producer").filter(pk=event.payload["code_id"]).first()
        )
        if challenge is None or not challenge.is_open:
            return
        contact = _contact_on_record(challenge.producer, challenge.channel)
        if not contact:
            raise outbox.PermanentDeliveryError(
                f"Producer {challenge.producer_id} has no {challenge.channel} on record"
            )
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        challenge.code_hash = code_hash(challenge, code)
        challenge.expires_at = now + CODE_VALIDITY
        challenge.save(update_fields=["code_hash", "expires_at"])
    subject, text = _code_message(challenge, code)
    if challenge.channel == TieCode.Channel.SMS:
        sms.send(to=contact, text=text)
    else:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [contact], fail_silently=False)
