"""Producer accounts: the OCOP office's single-use invitations and self-registration proven by a one-time code."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import permissions
from catalog.accounts import services as account_services
from catalog.accounts.models import TieCode
from catalog.accounts.tests.fixtures import code_in
from catalog.applications import services
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import Notice, ProducerInvitation, RegistrationRequest
from catalog.tests.fixtures import sent_mail


def _is_producer_account(user, producer) -> bool:
    return (
        user.is_active
        and user.groups.filter(name=permissions.PRODUCER).exists()
        and user.ocop_membership.producer == producer
    )


def test_an_invitation_link_creates_a_producer_account_once(
    office_user,
    producer,
    client,
    django_capture_on_commit_callbacks,
):
    # given an invitation sent by the OCOP office
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, url = services.invite_producer(producer=producer, email="owner@htx.vn", actor=office_user)
    assert sent_mail()[0].to == ["owner@htx.vn"] and url in mail.outbox[0].body
    path = url.split("127.0.0.1:8000", 1)[-1]

    # when the producer opens it and chooses a user name and password
    response = client.post(path, {"username": "owner", "password": "Cafe-Robusta-2026"})

    # then the account exists, in the producer role, tied to the producer
    assert response.status_code == 302
    user = get_user_model().objects.get(username="owner")
    assert _is_producer_account(user, producer) and user.email == "owner@htx.vn"

    # and the same link cannot be used again
    token = path.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(ValidationError) as refusal:
        services.accept_invitation(token=token, username="intruder", password="Cafe-Robusta-2026")
    assert refusal.value.code == Code.INVITATION_INVALID
    assert not get_user_model().objects.filter(username="intruder").exists()
    assert "invitation-invalid" in client.get(path).content.decode()


def test_an_expired_invitation_is_refused(office_user, producer):
    _invitation, url = services.invite_producer(
        producer=producer, email="owner@htx.vn", actor=office_user, valid_for=datetime.timedelta(days=7)
    )
    ProducerInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    token = url.rstrip("/").rsplit("/", 1)[-1]

    with pytest.raises(ValidationError) as refusal:
        services.accept_invitation(token=token, username="late", password="Cafe-Robusta-2026")

    assert refusal.value.code == Code.INVITATION_INVALID
    assert not get_user_model().objects.filter(username="late").exists()


def test_only_the_ocop_office_may_invite(producer, commune_officer):
    with pytest.raises(ValidationError) as refusal:
        services.invite_producer(producer=producer, email="x@y.vn", actor=commune_officer)

    assert refusal.value.code == Code.NOT_ALLOWED
    assert not ProducerInvitation.objects.exists()


def test_self_registration_ties_the_account_once_the_code_sent_to_the_phone_on_record_is_entered(
    producer,
    sms_messages,
):
    producer.phone = "0262 3812 345"
    producer.save()

    # when someone registers with the producer's number (the code goes to the phone on record)
    challenge = services.register_producer_account(
        registration_number="6000123456",
        producer_name="HTX",
        email="a@b.vn",
        username="htx-self",
        password="Cafe-Robusta-2026",
    )

    # then no account exists until the code is entered
    assert isinstance(challenge, TieCode) and challenge.sent_to.endswith("345")
    assert not get_user_model().objects.filter(username="htx-self").exists()
    message = sms_messages()[-1]
    assert message["to"] == "02623812345"

    user = account_services.verify_code(challenge=challenge, code=code_in(message["text"]))

    assert _is_producer_account(user, producer)


def test_self_registration_for_a_number_not_in_the_registry_waits_for_the_office(producer, office_user):
    # when the number is not in the registry (the producer is not registered yet)
    pending = services.register_producer_account(
        registration_number="0100999999",
        producer_name="HTX mới",
        email="stranger@b.vn",
        username="htx-maybe",
        password="Cafe-Robusta-2026",
    )

    # then the account cannot be used until the office approves it for a producer it has checked
    user = pending.user
    assert not user.is_active and pending.status == RegistrationRequest.Status.PENDING
    assert not hasattr(user, "ocop_membership") or user.ocop_membership is None

    services.approve_registration(request=pending, actor=office_user, producer=producer)
    user.refresh_from_db()
    assert _is_producer_account(user, producer)
    assert Notice.objects.filter(user=user).exists()


def test_approving_a_request_for_an_unknown_number_is_refused(office_user):
    pending = services.register_producer_account(
        registration_number="0100999999",
        producer_name="Unknown",
        email="u@b.vn",
        username="unknown",
        password="Cafe-Robusta-2026",
    )
    user = pending.user

    with pytest.raises(ValidationError) as refusal:
        services.approve_registration(request=pending, actor=office_user)

    assert refusal.value.code == Code.REGISTRATION_MISMATCH
    user.refresh_from_db()
    pending.refresh_from_db()
    assert not user.is_active and pending.status == RegistrationRequest.Status.PENDING


def test_the_office_invites_from_its_page_and_others_cannot(client, office_user, producer, producer_user):
    client.force_login(producer_user)
    assert client.get("/portal/applications/staff/invite/").status_code == 403

    client.force_login(office_user)
    page = client.post("/portal/applications/staff/invite/", {"producer": producer.pk, "email": "o@htx.vn"})

    assert 'id="invitation-url"' in page.content.decode()
    assert ProducerInvitation.objects.get().email == "o@htx.vn"


def test_self_registration_page_sends_a_code_to_the_email_on_record(client, producer):
    producer.email = "htx@coop.vn"
    producer.save()

    response = client.post(
        "/portal/applications/register/",
        {
            "registration_number": "6000123456",
            "producer_name": "HTX",
            "channel": "email",
            "email": "me@gmail.com",
            "username": "htx-web",
            "password": "Cafe-Robusta-2026",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/portal/applications/register/code/"
    assert "h•••@coop.vn" in response.content.decode()
    assert not get_user_model().objects.filter(username="htx-web").exists()
    assert sent_mail()[-1].to == ["htx@coop.vn"]


def test_the_office_reviews_registration_requests_in_the_admin(client, office_user, producer):
    pending = services.register_producer_account(
        registration_number="0100999999",
        producer_name="HTX",
        email="x@y.vn",
        username="htx-pending",
        password="Cafe-Robusta-2026",
    )
    producer.registration_number = "0100999999"  # the office checked the producer and registered it
    producer.save()
    client.force_login(office_user)

    client.post("/admin/applications/registrationrequest/", {"action": "approve", "_selected_action": [pending.pk]})

    pending.refresh_from_db()
    assert pending.status == RegistrationRequest.Status.APPROVED and pending.decided_by == office_user
