"""Status with history, the assortment rule on revocation and the operator's notice."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from integrations.models import Assortment, OperatorNotice, PointCriterion, SalesPoint, SalesPointStatusChange
from integrations.salespoints import services
from integrations.tests.fixtures import deliver_due


@pytest.fixture
def stocked_airport(airport_point, certified_product, department_user):
    services.assign_product(point=airport_point, product=certified_product, actor=department_user)
    return airport_point


def test_a_status_change_is_kept_in_the_history(airport_point, department_user):
    services.change_status(
        point=airport_point,
        to_status=SalesPoint.Status.SUSPENDED,
        reason="Bày bán sản phẩm hết hạn chứng nhận",
        actor=department_user,
    )

    airport_point.refresh_from_db()
    assert airport_point.status == "suspended"
    latest = airport_point.status_history.first()
    assert (latest.from_status, latest.to_status, latest.actor, latest.reason) == (
        "approved",
        "suspended",
        department_user,
        "Bày bán sản phẩm hết hạn chứng nhận",
    )
    assert [c.to_status for c in airport_point.status_history.order_by("at", "pk")] == ["approved", "suspended"]


@pytest.mark.parametrize(
    ("start", "to", "reason", "code"),
    [
        ("closed", "approved", "", "invalid_transition"),
        ("approved", "proposed", "", "invalid_transition"),
        ("approved", "closed", " ", "reason_required"),
    ],
)
def test_a_refused_status_change_changes_nothing(airport_point, department_user, start, to, reason, code):
    SalesPoint.objects.filter(pk=airport_point.pk).update(status=start)
    before = SalesPointStatusChange.objects.count()

    with pytest.raises(ValidationError) as error:
        services.change_status(point=airport_point, to_status=to, reason=reason, actor=department_user)

    assert error.value.code == code
    assert SalesPoint.objects.get(pk=airport_point.pk).status == start
    assert SalesPointStatusChange.objects.count() == before


def test_a_proposal_is_approved_only_with_its_approval_decision(office_user, department_user):
    point, _token = services.create_sales_point(
        code="ga-tuy-hoa",
        name="Ga Tuy Hòa",
        kind="railway_station",
        status=SalesPoint.Status.PROPOSED,
        actor=office_user,
    )
    with pytest.raises(ValidationError):
        services.change_status(point=point, to_status="approved", reason="", actor=department_user)

    SalesPoint.objects.filter(pk=point.pk).update(licence_number="301/QĐ-SCT")
    services.change_status(point=point, to_status="approved", reason="", actor=department_user)
    assert SalesPoint.objects.get(pk=point.pk).status == "approved"


def test_the_status_history_is_append_only(airport_point):
    change = airport_point.status_history.first()

    with pytest.raises(ValueError, match="append-only"):
        change.save()
    with pytest.raises(ValueError, match="append-only"):
        change.delete()


def test_department_staff_assign_only_listable_products_with_a_clear_message(
    client, department_user, airport_point, product, other_product, certify
):
    certify(other_product)
    client.force_login(department_user)

    page = client.get(reverse("integrations:point_detail", args=[airport_point.pk])).content.decode()
    assert f'value="{other_product.pk}"' in page and f'value="{product.pk}"' not in page  # only what may be stocked

    refused = client.post(
        reverse("integrations:assortment_add", args=[airport_point.pk]), {"product": product.pk}, follow=True
    )
    # Decision 950: neither an OCOP product nor on a Department list
    assert "is neither a certified OCOP product (3★ or more) at present nor on a list of the Department" in (
        refused.content.decode()
    )
    client.post(reverse("integrations:assortment_add", args=[airport_point.pk]), {"product": other_product.pk})
    assert list(airport_point.assortment.values_list("product", flat=True)) == [other_product.pk]


def test_revocation_shrinks_the_assortment_and_notices_the_operator_in_its_transaction(
    stocked_airport, certified_product, revoke, make_operator, operator_org
):
    make_operator("lan", operator_org, email="lan@taynguyen-airport.vn")

    with transaction.atomic():
        revoke(certified_product)
        # Inside the revocation's own transaction, before any worker runs:
        assert not Assortment.objects.filter(product=certified_product).exists()
        notice = OperatorNotice.objects.get(organisation=operator_org)

    assert notice.point == stocked_airport and notice.product == certified_product
    assert certified_product.name_en in notice.message  # the English test reader


def test_a_revocation_rolled_back_leaves_assortment_and_notices_untouched(stocked_airport, certified_product, revoke):
    with pytest.raises(RuntimeError), transaction.atomic():
        revoke(certified_product)
        raise RuntimeError("the decision could not be saved")

    assert Assortment.objects.filter(product=certified_product, point=stocked_airport).exists()
    assert not OperatorNotice.objects.exists()


def test_the_operator_is_emailed_after_the_revocation_commits(
    stocked_airport, certified_product, revoke, make_operator, operator_org, django_capture_on_commit_callbacks
):
    make_operator("lan", operator_org, email="lan@taynguyen-airport.vn")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        revoke(certified_product)
        assert mail.outbox == []  # nothing leaves before the commit
    assert callbacks  # the outbox is kicked on commit
    deliver_due()  # what the worker does

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["lan@taynguyen-airport.vn", "ocop@taynguyen-airport.vn"]
    assert certified_product.name_vi in message.subject and certified_product.name_vi in message.body
    deliver_due()
    assert len(mail.outbox) == 1  # once


def test_the_operator_reads_its_notices_in_the_portal(
    client, stocked_airport, certified_product, revoke, make_operator, operator_org, other_org, buon_don_point
):
    operator = make_operator("lan", operator_org)
    revoke(certified_product)
    client.force_login(operator)

    page = client.get(reverse("integrations:notices"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert certified_product.name_vi in page and 'class="unread"' in page
    client.post(reverse("integrations:notices"))
    assert OperatorNotice.objects.get().read_at is not None

    client.force_login(make_operator("buon-don", other_org))
    assert (
        certified_product.name_vi
        not in client.get(reverse("integrations:notices"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    )


def test_an_operator_notice_reads_in_the_readers_language_and_is_mailed_in_vietnamese(
    client, stocked_airport, certified_product, revoke, make_operator, operator_org, django_capture_on_commit_callbacks
):
    operator = make_operator("lan", operator_org, email="lan@taynguyen-airport.vn")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        revoke(certified_product)  # revoked by someone reading English
    deliver_due()
    client.force_login(operator)

    notice = OperatorNotice.objects.get()
    vi = client.get(reverse("integrations:notices"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    en = client.get(reverse("integrations:notices"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (notice.subject, notice.text) == ("", "")  # a key and parameters, not sentences
    assert f"Cà phê bột Buôn Ma Thuột đã bị rút khỏi {stocked_airport.name}" in vi
    assert f"Buon Ma Thuot ground coffee was removed from {stocked_airport.name}" in en
    assert mail.outbox[0].subject == f"OCOP Đắk Lắk: Cà phê bột Buôn Ma Thuột đã bị rút khỏi {stocked_airport.name}"


def test_the_criteria_checklist_is_data(db):
    criteria = list(PointCriterion.objects.filter(active=True))

    assert len(criteria) >= 10
    assert all("950/QĐ-BCT" in criterion.description for criterion in criteria)


def test_a_point_added_in_the_admin_is_a_proposal_with_its_first_history_row(client, department_user, operator_org):
    client.force_login(department_user)
    assert (
        client.get(reverse("admin:integrations_operatororganisation_change", args=[operator_org.pk])).status_code == 200
    )

    response = client.post(
        reverse("admin:integrations_salespoint_add"),
        {
            "code": "ga-tuy-hoa",
            "name": "Quầy OCOP Ga Tuy Hòa",
            "kind": "railway_station",
            "address": "Ga Tuy Hòa",
            "latitude": "13.0860",
            "longitude": "109.2960",
            "operator": operator_org.pk,
            "licence_number": "",
            "licence_date": "",
            "licence_issuer": "",
            "webhook_url": "",
            "webhook_secret": "",
            "assortment-TOTAL_FORMS": "0",
            "assortment-INITIAL_FORMS": "0",
            "status_history-TOTAL_FORMS": "0",
            "status_history-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    point = SalesPoint.objects.get(code="ga-tuy-hoa")
    assert (point.status, point.operator, str(point.latitude)) == ("proposed", operator_org, "13.086000")
    assert [(c.from_status, c.to_status, c.actor) for c in point.status_history.all()] == [
        ("", "proposed", department_user)
    ]


def test_the_status_history_is_refused_updates_and_deletes_by_the_database(airport_point):
    from django.db import DatabaseError, connection, transaction

    from integrations.models import SalesPointStatusChange

    table = SalesPointStatusChange._meta.db_table
    assert airport_point.status_history.exists()
    for statement in (f"UPDATE {table} SET reason = 'x'", f"DELETE FROM {table}"):  # noqa: S608 - model's table
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
