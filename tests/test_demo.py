"""The embedded demo that ``bin/run`` loads, and the direction of the dependencies between the packages."""

import ast
import datetime
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from catalog.models import Product
from catalog.querysets import local_today
from integrations.models import Assortment, SalesPoint, SalesReport
from storefront.models import GiftCombo
from traceability.models import Item

COMMANDS = ["load_demo", "load_demo_store", "load_demo_trace", "load_demo_points", "load_demo_programme"]
ROOT = Path(__file__).resolve().parents[1]


def load_demo() -> str:
    out = io.StringIO()
    for command in COMMANDS:
        call_command(command, stdout=out, stderr=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def _demo_loaded_twice(django_db_setup, django_db_blocker):
    """The demo loaded twice, as running ``bin/run`` twice does, once for this module (about ten seconds):
    the second run's output and the row counts of every table after each run. Rolled back afterwards."""
    # The demo refuses to run outside development (DJANGO_DEBUG): it creates accounts with a known password.
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        load_demo()
        first = row_counts()
        output = load_demo()
        yield {"output": output, "first": first, "second": row_counts()}
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded_twice, db):
    """Each test runs in a savepoint inside the module's transaction that holds the demo."""
    return _demo_loaded_twice


def scan_urls(output: str) -> dict[str, list[str]]:
    urls: dict[str, list[str]] = {}
    for status, url in re.findall(r"scan (\w+): (\S+)", output):
        urls.setdefault(status, []).append(url)
    return urls


def local_path(url: str) -> str:
    assert url.startswith(settings.PUBLIC_BASE_URL.rstrip("/") + "/")
    return url[len(settings.PUBLIC_BASE_URL.rstrip("/")) :]


def test_loading_the_demo_again_changes_nothing(demo):
    changed = {
        label: (demo["first"][label], count) for label, count in demo["second"].items() if demo["first"][label] != count
    }
    assert changed == {}
    assert demo["second"]["catalog.Product"] == 34
    assert demo["second"]["traceability.Item"] == 20


def test_the_demo_registry_has_listable_and_unlistable_products(demo):
    listable = Product.objects.listable()
    assert listable.exists()
    assert Product.objects.filter(certificate_revoked=True).exists()
    assert Product.objects.filter(certificate_revoked=False, certified_until__isnull=False).not_listable().exists()
    assert not listable.filter(certificate_revoked=True).exists()


def test_each_printed_scan_url_shows_its_status(demo, client):
    urls = scan_urls(demo["output"])
    assert set(urls) == {"genuine", "expired", "revoked", "unknown"}
    for status, found in urls.items():
        for url in found:
            response = client.get(local_path(url))
            assert response.status_code == (404 if status == "unknown" else 200), url
            assert f'data-status="{status}"'.encode() in response.content, url


def test_the_genuine_examples_cover_a_gs1_digital_link_and_a_short_uri(demo):
    genuine = scan_urls(demo["output"])["genuine"]
    assert any("/01/" in url and "/21/" in url for url in genuine)
    assert any("/q/" in url for url in genuine)
    assert Item.objects.filter(lot__product__certified_stars=5).exclude(lot__product__gtin="").count() == 5


def test_the_demo_scan_shows_the_airport_step_by_name_and_product_and_lot_codes_resolve(demo, client):
    genuine = scan_urls(demo["output"])["genuine"]
    item_url = next(url for url in genuine if "/21/" in url)
    airport = SalesPoint.objects.get(code="bmt-airport")

    page = client.get(local_path(item_url), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    back = page.split("data-step-back>")[1].split("</dd>")[0]
    forward = page.split("data-step-forward>")[1].split("</dd>")[0]
    assert back.startswith("Shipped from ") and forward.startswith(f"Received at {airport.name}, ")
    assert "urn:" not in page
    assert any(re.search(r"/01/\d{14}$", url) for url in genuine)  # a product-level code
    assert any(re.search(r"/01/\d{14}/10/[^/]+$", url) for url in genuine)  # a lot-level code


def test_sales_points_offer_only_listable_products(demo):
    points = SalesPoint.objects.filter(status=SalesPoint.Status.APPROVED)
    assert points.count() == 3
    assert all(point.assortment.exists() for point in points)
    offered = Product.objects.filter(pk__in=Assortment.objects.values("product"))
    assert not offered.not_listable().exists()
    last_month = (local_today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    assert SalesReport.objects.filter(point__in=points, month=last_month).exists()


def test_the_store_search_and_combos_show_only_listable_products(demo, client):
    expired_coffee = Product.objects.not_listable().get(name_vi="Cà phê nhân xanh Ea Kao")
    ground_coffee = Product.objects.listable().get(name_vi="Cà phê bột Buôn Ma Thuột")

    response = client.get("/products/", {"q": "ca phe"})

    assert response.status_code == 200
    assert f'href="/products/{ground_coffee.pk}/"'.encode() in response.content
    assert f'href="/products/{expired_coffee.pk}/"'.encode() not in response.content
    assert set(GiftCombo.objects.visible().values_list("slug", flat=True)) == {"qua-tet-dak-lak", "huong-vi-tay-nguyen"}
    assert client.get("/combos/qua-tet-dak-lak/").status_code == 200


def test_the_marketplace_feeds_carry_listable_products_only(demo, client):
    listable = Product.objects.listable().get(name_vi="Cà phê bột Buôn Ma Thuột")
    revoked = Product.objects.filter(certificate_revoked=True).first()

    for path in ("/feeds/google-merchant.xml", "/feeds/meta-catalog.csv"):
        response = client.get(path)

        assert response.status_code == 200
        assert f"/products/{listable.pk}/".encode() in response.content
        assert f"/products/{revoked.pk}/".encode() not in response.content


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("vanphong", "/dashboards/ocop/"),
        ("socongthuong", "/dashboards/sales-points/"),
        ("socongthuong", "/points/"),
        ("diemban", "/points/"),
        ("chuthe", "/portal/"),
        ("admin", "/admin/"),
        ("vanphong", "/programme/events/"),
        ("vanphong", "/dashboards/sales/?year=2026&quarter=3"),
        ("vanphong", "/dashboards/consolidated/?year=2026&quarter=3"),
        ("canboxa", "/programme/pipeline/"),
        ("canboxa", "/programme/reports/"),
        ("chuthe", "/portal/events/"),
    ],
)
def test_each_demo_account_opens_its_pages(demo, client, username, path):
    client.force_login(get_user_model().objects.get(username=username))

    response = client.get(path)

    assert response.status_code == 200


def test_the_demo_programme_has_a_coffee_festival_two_fairs_a_reported_quarter_and_sales_in_every_channel(demo, client):
    from catalog.programme.models import Event, Participation, PotentialProduct, ReportingPeriod
    from integrations.channel_sales import sales

    festival = Event.objects.get(kind=Event.Kind.FESTIVAL)
    assert "Cà phê" in festival.name_vi and Event.objects.filter(kind=Event.Kind.FAIR).count() == 2
    shown = Participation.objects.filter(event=festival, status=Participation.Status.SELECTED).first().products.first()
    assert b"Meet the producer" in client.get(f"/products/{shown.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b"BEGIN:VEVENT" in client.get("/events.ics").content
    assert PotentialProduct.objects.values("commune").distinct().count() == 3
    quarter = ReportingPeriod.objects.get(kind=ReportingPeriod.Kind.QUARTERLY)
    assert 0 < quarter.reports.count() < quarter.communes.count()  # someone has not reported: the office sees it
    rows = sales.sales(quarter.starts_on, quarter.ends_on, products=Product.objects.all())
    assert all(channel["quantity"] > 0 for channel in sales.by_channel(rows))


def test_the_demo_operator_sees_only_its_own_points(demo, client):
    client.force_login(get_user_model().objects.get(username="diemban"))

    response = client.get("/points/")

    assert "Cảng hàng không Buôn Ma Thuột".encode() in response.content
    assert "Trung tâm trưng bày".encode() not in response.content


# --- Dependencies point toward catalog ---------------------------------------------------------------------

#: package → the project packages it must never import (its tests excepted).
FORBIDDEN_IMPORTS = {
    "catalog": {"storefront", "traceability", "integrations"},
    "traceability": {"storefront", "integrations"},
    "storefront": {"integrations"},
}


def forbidden_imports(package: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} imports {module}"
                for module in modules
                if module.split(".")[0] in forbidden
            ]
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN_IMPORTS))
def test_dependencies_point_toward_catalog(package):
    assert forbidden_imports(package, FORBIDDEN_IMPORTS[package]) == []


def test_the_dependency_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    package = tmp_path / "catalog"
    package.mkdir()
    (package / "views.py").write_text("def view():\n    from storefront.models import ProductListing\n")
    (package / "tests").mkdir()
    (package / "tests" / "test_x.py").write_text("import storefront\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)

    assert forbidden_imports("catalog", {"storefront"}) == ["catalog/views.py:2 imports storefront.models"]


def test_every_demo_product_has_an_illustration_of_the_demos_own_making(demo):
    # (the pictures themselves and their sizes: catalog/tests/test_photos.py)
    products = Product.objects.all()
    assert products.exists() and not products.filter(image="").exists()
    assert all(product.image.name.startswith("products/") for product in products)


def test_the_demo_producers_are_in_current_communes_with_their_old_address_kept(demo):
    from catalog.models import Producer

    assert not Producer.objects.exclude(commune__district="").exists()  # no district level since 07/2025
    moved = Producer.objects.exclude(former_address="")
    assert moved.exists() and all(producer.shown_former_address for producer in moved)
