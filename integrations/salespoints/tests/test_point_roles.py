"""Department staff manage every point; an operator sees and reports only for its own, checked by URL."""

import pytest
from django.urls import reverse

from integrations.models import SalesReport


@pytest.fixture
def operator(make_operator, operator_org, airport_point):
    return make_operator("airport-operator", operator_org)


def test_an_operator_sees_only_its_own_points_in_the_list(client, operator, airport_point, buon_don_point):
    client.force_login(operator)

    html = client.get(reverse("integrations:point_list")).content.decode()

    assert airport_point.name in html and buon_don_point.name not in html
    assert 'data-code="bmt-airport"' in html and 'data-code="buon-don"' not in html  # on the map too


@pytest.mark.parametrize("name", ["integrations:point_detail", "integrations:report_form"])
def test_another_operators_point_does_not_exist_for_an_operator(client, operator, airport_point, buon_don_point, name):
    client.force_login(operator)

    assert client.get(reverse(name, args=[airport_point.pk])).status_code == 200
    assert client.get(reverse(name, args=[buon_don_point.pk])).status_code == 404


def test_an_operator_cannot_report_for_another_point_through_the_form(
    client, operator, buon_don_point, certified_product
):
    client.force_login(operator)

    response = client.post(
        reverse("integrations:report_form", args=[buon_don_point.pk]),
        {
            "product": certified_product.pk,
            "month": "2026-10",
            "quantity_sold": 5,
            "revenue": 500000,
            "closing_stock": 3,
        },
    )

    assert response.status_code == 404
    assert not SalesReport.objects.exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("integrations:point_status", lambda point, product: [point.pk]),
        ("integrations:assortment_add", lambda point, product: [point.pk]),
        ("integrations:assortment_remove", lambda point, product: [point.pk, product.pk]),
    ],
)
def test_an_operator_cannot_manage_even_its_own_point(client, operator, airport_point, certified_product, name, args):
    client.force_login(operator)

    response = client.post(
        reverse(name, args=args(airport_point, certified_product)),
        {"to_status": "closed", "reason": "x", "product": certified_product.pk},
    )

    assert response.status_code == 403
    airport_point.refresh_from_db()
    assert airport_point.status == "approved" and not airport_point.assortment.exists()


def test_department_staff_see_and_manage_every_point(client, department_user, airport_point, buon_don_point):
    client.force_login(department_user)

    html = client.get(reverse("integrations:point_list")).content.decode()
    assert airport_point.name in html and buon_don_point.name in html
    assert client.get(reverse("integrations:point_detail", args=[buon_don_point.pk])).status_code == 200

    client.post(
        reverse("integrations:point_status", args=[buon_don_point.pk]),
        {"to_status": "suspended", "reason": "Không niêm yết giá"},
    )
    buon_don_point.refresh_from_db()
    assert buon_don_point.status == "suspended"


@pytest.mark.parametrize("name", ["integrations:department_dashboard", "integrations:ocop_dashboard"])
def test_an_operator_sees_no_dashboard(client, operator, name):
    client.force_login(operator)

    assert client.get(reverse(name)).status_code == 403


def test_the_ocop_office_sees_its_dashboard_but_not_the_departments(client, office_user, point_roles):
    client.force_login(office_user)

    assert client.get(reverse("integrations:ocop_dashboard")).status_code == 200
    assert client.get(reverse("integrations:department_dashboard")).status_code == 403


def test_someone_without_a_role_sees_nothing(client, django_user_model, airport_point):
    client.force_login(django_user_model.objects.create_user("visitor", password="pw-visitor-123"))

    assert client.get(reverse("integrations:point_list")).status_code == 403
    assert client.get(reverse("integrations:point_detail", args=[airport_point.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, airport_point):
    response = client.get(reverse("integrations:point_detail", args=[airport_point.pk]))

    assert response.status_code == 302 and reverse("applications:login") in response["Location"]


def test_the_admin_shows_an_operator_only_its_own_rows(
    client, operator, airport_point, buon_don_point, certified_product
):
    SalesReport.objects.create(
        point=buon_don_point, product=certified_product, month="2026-10-01", quantity_sold=1, revenue=1, closing_stock=1
    )
    client.force_login(operator)

    points = client.get(reverse("admin:integrations_salespoint_changelist")).content.decode()
    assert airport_point.name in points and buon_don_point.name not in points
    assert client.get(reverse("admin:integrations_salespoint_change", args=[buon_don_point.pk])).status_code == 302
    reports = client.get(reverse("admin:integrations_salesreport_changelist")).content.decode()
    assert buon_don_point.name not in reports


def test_a_points_token_reports_only_for_that_point(client, airport_point, buon_don_point, certified_product):
    airport_point.assortment.create(product=certified_product)

    line = {
        "product": certified_product.pk,
        "month": "2026-10",
        "quantity_sold": 2,
        "revenue": 300000,
        "closing_stock": 4,
    }

    def post(*lines):
        return client.post(
            reverse("integrations:sales_point_report_api"),
            {"lines": list(lines)},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {airport_point.raw_token}",
        )

    refused = post({**line, "point": "buon-don"})
    assert refused.status_code == 400 and not SalesReport.objects.exists()
    assert refused.json()["errors"][0]["message_en"] == "None of your sales points has the code “buon-don”."
    assert post(line, {**line, "month": "2026-09", "point": "bmt-airport"}).status_code == 200
    assert set(SalesReport.objects.values_list("point__code", flat=True)) == {"bmt-airport"}  # the token's point


def test_the_map_svg_plots_only_the_operators_points(client, operator, airport_point, buon_don_point):
    client.force_login(operator)

    response = client.get(reverse("integrations:point_map"))

    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert 'data-code="bmt-airport"' in svg and "buon-don" not in svg and "Đắk Lắk" in svg


def test_the_point_list_costs_the_same_queries_for_more_points(
    client, department_user, airport_point, buon_don_point, office_user, django_assert_max_num_queries
):
    from integrations.salespoints import services

    client.force_login(department_user)
    client.get(reverse("integrations:point_list"))
    for n in range(5):
        services.create_sales_point(code=f"p{n}", name=f"Điểm {n}", kind="showroom", actor=office_user)

    with django_assert_max_num_queries(8):
        assert client.get(reverse("integrations:point_list")).status_code == 200


def test_an_operator_prints_shelf_labels_of_its_own_points_only(client, operator, airport_point, buon_don_point):
    client.force_login(operator)

    assert client.get(reverse("integrations:sales_point_labels", args=[airport_point.pk])).status_code == 200
    assert client.get(reverse("integrations:sales_point_labels", args=[buon_don_point.pk])).status_code == 404
