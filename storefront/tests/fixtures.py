"""Storefront fixtures: a small certified catalogue, search backends (PostgreSQL and a real
Elasticsearch-API server from noida-db), and a cart helper."""

import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from catalog import services
from catalog.models import Level, Product, ProductGroup
from storefront.models import GiftCombo, GiftComboItem, ProductListing

VECTORS = Path(__file__).parent / "data" / "search_folding.json"


def folding_vectors() -> list[dict]:
    return json.loads(VECTORS.read_text(encoding="utf-8"))["vietnamese_search_folding"]


def list_in_store(product, price, *, stock=10, featured=False) -> ProductListing:
    return ProductListing.objects.create(
        product=product, price=Decimal(price), stock=stock, sku=f"SKU-{product.pk}", featured=featured
    )


@pytest.fixture
def store_catalogue(product, other_product, producer, other_producer, certify, office_user):
    """Listable: coffee 4★, honey 3★, tea 5★, rice wine 4★. Not listable: weasel coffee (never
    certified), Krông Pắc beans (certificate revoked)."""
    drinks = ProductGroup.objects.get(code="2")
    tea = Product.objects.create(producer=producer, name_vi="Trà đường phèn", name_en="Rock sugar tea", group=drinks)
    wine = Product.objects.create(
        producer=other_producer, name_vi="Rượu cần Buôn Đôn", name_en="Buon Don rice wine", group=drinks
    )
    uncertified = Product.objects.create(producer=producer, name_vi="Cà phê chồn Ea Tu", group=product.group)
    revoked = Product.objects.create(producer=producer, name_vi="Cà phê hạt Krông Pắc", group=product.group)
    certify(product, stars=4)
    certify(other_product, stars=3)
    certify(tea, stars=5)
    certify(wine, stars=4)
    revoked_certificate = certify(revoked, stars=4)
    services.revoke_certificates(
        number="99/QĐ-UBND-REVOKE",
        signed_on=datetime.date(2026, 1, 5),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Không duy trì chất lượng",
        certificates=[revoked_certificate],
        actor=office_user,
    )
    for item in (product, other_product, tea, wine, uncertified, revoked):
        item.refresh_from_db()
    list_in_store(product, "120000", featured=True)
    list_in_store(other_product, "250000")
    list_in_store(tea, "80000")
    list_in_store(wine, "300000", stock=0)
    list_in_store(uncertified, "900000")
    list_in_store(revoked, "150000")
    return {
        "coffee": product,
        "honey": other_product,
        "tea": tea,
        "wine": wine,
        "uncertified": uncertified,
        "revoked": revoked,
    }


@pytest.fixture
def gift_combo(store_catalogue):
    combo = GiftCombo.objects.create(slug="qua-tet", name_vi="Quà Tết Đắk Lắk", name_en="Đắk Lắk Tết gift")
    GiftComboItem.objects.create(combo=combo, product=store_catalogue["coffee"])
    GiftComboItem.objects.create(combo=combo, product=store_catalogue["honey"], quantity=2)
    return combo


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _noida_binary() -> str:
    import noida_db

    binary = Path(noida_db.__file__).with_name("noida-db")
    binary.chmod(0o755)
    return str(binary)


@pytest.fixture(scope="session")
def elasticsearch_url(tmp_path_factory):
    """A real Elasticsearch-API server (noida-db, Elasticsearch only) on a free local port."""
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("noida")
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            _noida_binary(),
            "start",
            "--data-dir",
            str(data_dir),
            "--only",
            "elasticsearch",
            "--elasticsearch-port",
            str(port),
        ],
        cwd=data_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - local test server
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"noida-db Elasticsearch did not start on {url}")
            time.sleep(0.1)
    yield url
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings, store_catalogue):
    """Each search backend in turn, indexed from the store catalogue and chosen by ``get_backend()``."""
    from storefront import search

    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = request.getfixturevalue("elasticsearch_url")
        settings.ELASTICSEARCH_INDEX = f"test-products-{uuid.uuid4().hex[:8]}"
    else:
        settings.ELASTICSEARCH_URL = ""
    backend = search.get_backend()
    backend.rebuild()
    yield backend
    if request.param == "elasticsearch":
        backend.client.indices.delete(index=backend.index_name, ignore_unavailable=True)
        search._backends.clear()
