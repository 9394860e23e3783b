"""Issue #16, delisting: a revocation → unpublished in Saleor (every channel) and on the four local marketplaces,
REVOCATIONS times in a row, each timed from the moment the revocation committed.

The production path without HTTP in front: a Redis of its own (broker and cache), the urgent lane's worker
(-Q celery) and the bulk lane's, beat, a scratch database, the contract fake of Saleor
(storefront/saleor_app/tests/fake_saleor.py) and the marketplaces' fakes (integrations/marketplaces/tests/
platforms.py), all on 127.0.0.1. The baseline, measured in the same run: a round trip to the urgent worker and
back (``celery inspect ping`` to that worker alone), the least any background delivery can take here.

Run: .venv/bin/python bench/delisting.py   (env: REVOCATIONS=50). Prints p50, p95, p99 and the worst, and the
ratio of the p99 to the baseline's p99. Takes about a minute; run it on a quiet machine.
"""

import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.processes import Processes, free_port, wait_for  # noqa: E402

WORK = ROOT / "var" / "bench" / "delisting"
PG = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "ocop_bench_delisting")
REVOCATIONS = int(os.environ.get("REVOCATIONS", "50"))
PYTHON = sys.executable
MARKETPLACES = ("shopee", "lazada", "tiktok", "tiki")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


processes = Processes(WORK)
start, stop_all = processes.start, processes.stop_all

# --- Environment: a Redis of its own, the scratch database, the fakes -----------------------------------------

WORK.mkdir(parents=True, exist_ok=True)
REDIS_PORT = free_port()
start(["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"], "redis.log")
from bench.secrets_env import use_throwaway_keys  # noqa: E402

use_throwaway_keys()
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "ocop.settings",
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdef-delisting",
        "LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "OUTBOX_DRAIN_INTERVAL": "5",
        "SALEOR_CHANNELS": "",
        "SALEOR_WAREHOUSE": "",
    }
)
subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)  # noqa: S603,S607
subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)  # noqa: S603,S607
subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)  # noqa: S603

from storefront.saleor_app.tests.fake_saleor import FakeSaleor  # noqa: E402

fake = FakeSaleor().start()
os.environ["SALEOR_API_URL"] = fake.url  # the workers started below inherit it

import django  # noqa: E402

django.setup()
from catalog import services as catalog_services  # noqa: E402
from catalog.evaluation_path import record_path  # noqa: E402
from catalog.models import Certificate, Commune, Level, Producer, Product, ProductGroup  # noqa: E402
from integrations.marketplaces.tests.platforms import OPTIONS, PLATFORMS  # noqa: E402
from integrations.models import Destination  # noqa: E402
from integrations.tests.fixtures import CREDENTIALS  # noqa: E402
from ocop.celery import app  # noqa: E402
from storefront.models import ProductListing  # noqa: E402
from storefront.saleor_app import services as saleor_services  # noqa: E402
from storefront.saleor_app.models import SaleorInstance  # noqa: E402

instance = SaleorInstance(api_url=fake.url, domain=f"127.0.0.1:{fake.port}", app_id="QXBwOjE=", jwks=fake.jwks)
instance.token = fake.app_token
instance.save()
saleor_services.ensure_setup(instance)
platforms = {kind: PLATFORMS[kind]() for kind in MARKETPLACES}
for kind, server in platforms.items():
    destination = Destination(
        kind=kind, name=f"{kind} bench", base_url=server.url, options=OPTIONS[kind], rate_per_second=200, burst=200
    )
    destination.set_credentials(dict(CREDENTIALS[kind]))
    destination.save()

worker = [PYTHON, "-m", "celery", "-A", "ocop", "worker", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
URGENT = f"urgent-{os.getpid()}@bench"
start([*worker, "-Q", "celery", "-n", URGENT, "--concurrency=2"], "worker-urgent.log")
start([*worker, "-Q", "bulk", "-n", f"bulk-{os.getpid()}@bench", "--concurrency=1"], "worker-bulk.log")
start([PYTHON, "-m", "celery", "-A", "ocop", "beat", "--schedule", str(WORK / "beat-schedule")], "beat.log")
if not wait_for(lambda: app.control.ping(destination=[URGENT], timeout=0.5, limit=1), 60):
    stop_all()
    raise SystemExit("the urgent worker did not start: see var/bench/delisting/worker-urgent.log")

try:
    # --- REVOCATIONS certified products, each published in Saleor and listed on the four marketplaces ------------
    producer = Producer.objects.create(
        kind=Producer.Kind.COOPERATIVE,
        name="HTX Bench delisting",
        commune=Commune.objects.get_or_create(name="Phường Buôn Ma Thuột", province="Đắk Lắk")[0],
        registration_number=f"60{random.randint(10**7, 10**8 - 1)}",
    )
    group = ProductGroup.objects.get(code="1")
    products = []
    for n in range(REVOCATIONS):
        product = Product.objects.create(producer=producer, name_vi=f"Cà phê bench {n}", group=group)
        ProductListing.objects.create(product=product, price=150000, stock=12, sku=f"DELIST-{n}", weight_grams=250)
        record_path(product, stars=4, on=datetime.date(2025, 9, 1), level=Level.PROVINCE)
        catalog_services.issue_certification(
            number=f"{n}/QĐ-BENCH",
            signed_on=datetime.date(2025, 9, 1),
            authority_level=Level.PROVINCE,
            authority_name="UBND tỉnh Đắk Lắk",
            awards=[catalog_services.Award(product=product, stars=4)],
            actor=None,
        )
        products.append(product)

    def saleor_listings(product) -> list[dict]:
        mapping = instance.products.filter(product=product).first()
        saleor_product = fake.products.get(mapping.saleor_product_id) if mapping else None
        return list((saleor_product or {}).get("channelListings", {}).values())

    def in_saleor(product, value: bool) -> bool:
        listings = saleor_listings(product)
        return bool(listings) and all(listing["isPublished"] is value for listing in listings)

    def in_shops(product, value: bool) -> bool:
        return all(server.listed().get(product.store_listing.sku) is value for server in platforms.values())

    def published(product, value: bool) -> bool:
        return in_saleor(product, value) and in_shops(product, value)

    took = wait_for(lambda: all(published(p, True) for p in products), 180)
    if took is None:
        raise SystemExit("the products were not all published: see var/bench/delisting/worker-urgent.log")
    print(f"{REVOCATIONS} products published in Saleor and on {len(platforms)} marketplaces after {took:.1f} s")

    # --- Baseline: a round trip to the urgent worker --------------------------------------------------------------
    pings = []
    for _ in range(REVOCATIONS):
        started = time.monotonic()
        app.control.ping(destination=[URGENT], timeout=2, limit=1)
        pings.append(time.monotonic() - started)

    # --- Revocations in a row ---------------------------------------------------------------------------------
    delays, saleor_delays, shop_delays = [], [], []
    for n, product in enumerate(products):
        catalog_services.revoke_certificates(
            number=f"R{n}/QĐ-BENCH",
            signed_on=datetime.date(2026, 11, 1),
            authority_level=Level.PROVINCE,
            authority_name="UBND tỉnh Đắk Lắk",
            reason="bench",
            certificates=[Certificate.objects.get(product=product, status=Certificate.Status.ACTIVE)],
            actor=None,
        )
        started, seen = time.monotonic(), {}
        while time.monotonic() - started < 30 and len(seen) < 2:
            for name, check in (("saleor", in_saleor), ("shops", in_shops)):
                if name not in seen and check(product, False):
                    seen[name] = time.monotonic() - started
            time.sleep(0.005)
        saleor_delays.append(seen.get("saleor", float("inf")))
        shop_delays.append(seen.get("shops", float("inf")))
        delays.append(max(saleor_delays[-1], shop_delays[-1]))

    def line(name: str, values: list[float]) -> str:
        figures = {
            "p50": statistics.median(values),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
            "worst": max(values),
        }
        return f"{name:<46}" + "  ".join(f"{k} {v * 1000:7.1f} ms" for k, v in figures.items())

    print(f"\n== delisting, {REVOCATIONS} revocations in a row ({datetime.date.today():%d/%m/%Y})")
    print(line("baseline: round trip to the urgent worker", pings))
    print(line("revocation → unpublished in Saleor (3 channels)", saleor_delays))
    print(line("revocation → delisted on the 4 marketplaces", shop_delays))
    print(line("revocation → both (the figure of the target)", delays))
    ratio = percentile(delays, 0.99) / percentile(pings, 0.99)
    target = "met" if percentile(delays, 0.99) <= 1.0 else "NOT met"
    print(f"p99 ratio to the baseline: {ratio:.1f}×; target p99 ≤ 1 s: {target}")
finally:
    fake.stop()
    for server in platforms.values():
        server.close()
    stop_all()
