"""The public register: every certified product with stars, group, producer, commune, decision and validity;
expired and revoked shown as such; searchable, filterable, paginated, downloadable (XLSX/CSV), vi and en."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Commune, Product, ProductGroup

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def register_data(producer, other_producer, coffee_group, certify, revoke):
    drinks = ProductGroup.objects.get(code="2")
    producer.former_address = "Phường Tân Lợi, Thành phố Buôn Ma Thuột, Đắk Lắk"
    producer.save()

    def make(name, owner, group, name_en=""):
        return Product.objects.create(producer=owner, name_vi=name, name_en=name_en, group=group)

    made = {
        "valid": make("Cà phê bột Buôn Ma Thuột", producer, coffee_group, "Buon Ma Thuot ground coffee"),
        "expired": make("Rượu cần Buôn Đôn", other_producer, drinks),
        "revoked": make("Mật ong hoa cà phê", other_producer, coffee_group),
        "formula": make('=HYPERLINK("http://evil.example")', producer, coffee_group),
        "never": make("Sản phẩm chưa chứng nhận", producer, coffee_group),
    }
    certify(made["valid"], stars=5, signed_on=D(2025, 9, 1))
    certify(made["expired"], stars=3, signed_on=D(2023, 3, 1), level="district")
    certify(made["revoked"], stars=4, signed_on=D(2025, 9, 2))
    certify(made["formula"], stars=3, signed_on=D(2025, 9, 3))
    made["revoked"].refresh_from_db()
    revoke(made["revoked"])
    return made


def _ids(response):
    return [row["product"].pk for row in response.context["rows"]]


def test_every_certified_product_is_listed_expired_and_revoked_shown_as_such(client, register_data):
    response = client.get(reverse("register:list"))
    assert response.status_code == 200
    statuses = {row["product"].pk: row["status"] for row in response.context["rows"]}
    assert statuses == {
        register_data["valid"].pk: "certified",
        register_data["formula"].pk: "certified",
        register_data["expired"].pk: "expired",
        register_data["revoked"].pk: "revoked",
    }
    html = response.content.decode()
    row = html.split(f'data-product="{register_data["valid"].pk}"')[1].split("</tr>")[0]
    assert "5★" in row and "Food" in row and "HTX Cà phê Buôn Ma Thuột" in row and "Phường Buôn Ma Thuột" in row
    assert "01/09/2028" in row and "/QĐ-UBND-TEST" in row
    assert "Phường Tân Lợi, Thành phố Buôn Ma Thuột" in row  # the address before 07/2025, which differs


def test_the_certified_filter_is_the_listing_rule(client, register_data):
    certified = client.get(reverse("register:list"), {"status": "certified"})
    assert set(_ids(certified)) == set(Product.objects.listable().values_list("pk", flat=True))
    assert _ids(client.get(reverse("register:list"), {"status": "revoked"})) == [register_data["revoked"].pk]
    assert _ids(client.get(reverse("register:list"), {"status": "expired"})) == [register_data["expired"].pk]


def test_search_and_filters(client, register_data, commune):
    url = reverse("register:list")
    # product names, in either language, and producers' names, without diacritics
    assert _ids(client.get(url, {"q": "ca phe"})) == [
        register_data["valid"].pk,
        register_data["revoked"].pk,
        register_data["formula"].pk,  # its producer is "HTX Cà phê Buôn Ma Thuột"
    ]
    assert _ids(client.get(url, {"q": "ground coffee"})) == [register_data["valid"].pk]
    assert _ids(client.get(url, {"q": "ruou can"})) == [register_data["expired"].pk]
    assert _ids(client.get(url, {"stars": "4"})) == [register_data["revoked"].pk]
    assert _ids(client.get(url, {"group": ProductGroup.objects.get(code="2").pk})) == [register_data["expired"].pk]
    assert set(_ids(client.get(url, {"commune": commune.pk}))) == {
        register_data["valid"].pk,
        register_data["formula"].pk,
    }
    assert client.get(url, {"stars": "9", "q": "x" * 500}).status_code == 200  # a bad filter is no error


def test_pages_and_a_bounded_number_of_queries(client, register_data, producer, coffee_group):
    from catalog.models import Certificate

    template = Product.objects.get(pk=register_data["valid"].pk).current_certificate
    for n in range(40):
        product = Product.objects.create(producer=producer, name_vi=f"Cà phê {n:02d}", group=coffee_group)
        certificate = Certificate.objects.create(
            decision=template.decision,
            product=product,
            stars=3,
            issued_on=template.issued_on,
            valid_until=template.valid_until,
        )
        Product.objects.filter(pk=product.pk).update(
            current_certificate=certificate, certified_stars=3, certified_until=template.valid_until
        )
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("register:list"))
    second = client.get(reverse("register:list"), {"page": 2})
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.count == 44
    assert len(second.context["rows"]) == 19
    assert not set(_ids(first)) & set(_ids(second))
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_vietnamese_and_english(client, register_data):
    vi = client.get(reverse("register:list"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    en = client.get(reverse("register:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Đã thu hồi" in vi and "Hết hạn" in vi and "Thực phẩm" in vi
    assert "Revoked" in en and "Expired" in en and "Buon Ma Thuot ground coffee" in en


def test_xlsx_download_with_cells_neutralised(client, register_data):
    response = client.get(reverse("register:download_xlsx"), {"status": "certified"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Product" and rows[0][-1] == "Status"
    names = {row[0]: row for row in rows[1:]}
    assert set(names) == {"Cà phê bột Buôn Ma Thuột", '=HYPERLINK("http://evil.example")'}
    assert names["Cà phê bột Buôn Ma Thuột"][10] == "01/09/2028"
    formula = next(cell for cell in sheet["A"] if str(cell.value).startswith("="))
    assert formula.data_type == "s"  # a text cell, never a formula


def test_csv_download_shows_expired_and_revoked_and_neutralises_formulas(client, register_data):
    response = client.get(reverse("register:download_csv"), HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Rượu cần Buôn Đôn"][-1] == "Expired" and by_name["Mật ong hoa cà phê"][-1] == "Revoked"
    assert '\'=HYPERLINK("http://evil.example")' in by_name
    assert "Sản phẩm chưa chứng nhận" not in by_name  # never certified: not on the register


def test_communes_on_the_filter_are_those_with_certified_products(client, register_data, commune, other_commune):
    Commune.objects.create(name="Xã Không Có Sản Phẩm", province="Đắk Lắk")
    choices = client.get(reverse("register:list")).context["form"].fields["commune"].queryset
    assert set(choices) == {commune, other_commune}
