"""Storefront listing and search latency over 20,000 products: PostgreSQL backend next to Elasticsearch.

Builds a scratch database (default ``ocop_bench_storefront``, dropped at the end unless --keep),
fills it with a synthetic catalogue (about 90% listable), indexes it in both backends (Elasticsearch
is a noida-db server started on a free port), then times, for each backend:

- ``listing``: ``backend.search()`` with no words, a random filter and sort (what /products/ runs);
- ``search``: ``backend.search()`` with a random query (accent-free, typo, prefix), plus filters;
- ``page``: the full /products/?q=... page through Django's test client (template included).

Each timed operation alternates with a baseline measured in the same run: one listable product read by its
primary key through ``store_products()`` (what any storefront page does at least once). Load on the machine
slows both, so the ratio operation / baseline is steadier than the raw figures.

Run from the project root:
    .venv/bin/python bench/storefront_search.py [--products 20000] [--runs 100] [--backends database]
Prints p50/p95/p99 in milliseconds and their ratios to the baseline. The machine is shared, so treat
figures as indicative (run it several times and take the median).
"""

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = [
    ("Cà phê bột", "ground coffee"),
    ("Cà phê hạt rang", "roasted coffee beans"),
    ("Mật ong", "honey"),
    ("Trà đường phèn", "rock sugar tea"),
    ("Rượu cần", "rice wine"),
    ("Tiêu đen", "black pepper"),
    ("Hạt điều rang muối", "salted cashews"),
    ("Sầu riêng sấy", "dried durian"),
    ("Bơ sáp", "butter avocado"),
    ("Ca cao", "cocoa"),
    ("Gạo thơm", "fragrant rice"),
    ("Măng khô", "dried bamboo shoots"),
    ("Yến sào", "bird's nest"),
    ("Thổ cẩm", "brocade"),
    ("Nước ép chanh dây", "passion fruit juice"),
]
PLACES = [
    "Buôn Ma Thuột",
    "Buôn Đôn",
    "Krông Pắc",
    "Ea Kar",
    "Cư M'gar",
    "Lắk",
    "Krông Bông",
    "Ea H'leo",
    "M'Đrắk",
    "Cư Kuin",
    "Krông Năng",
    "Ea Súp",
    "Tuy Hòa",
    "Sông Cầu",
    "Đồng Xuân",
]
QUERIES = [
    "ca phe",
    "mat ong",
    "duong",
    "ruou can",
    "tieu den",
    "hat dieu",
    "ca phee",
    "mat omg",
    "ruou ca",
    "sau rieng say",
    "buon ma thuot",
    "tho cam",
    "gao thom",
    "yen",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=100, help="timed runs per operation and backend")
    parser.add_argument("--database", default="ocop_bench_storefront")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--backends", default="database,elasticsearch", help="comma-separated: database, elasticsearch")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_noida(data_dir: str):
    import noida_db

    binary = Path(noida_db.__file__).with_name("noida-db")
    binary.chmod(0o755)
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [str(binary), "start", "--data-dir", data_dir, "--only", "elasticsearch", "--elasticsearch-port", str(port)],
        cwd=data_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - local server
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("noida-db did not start")


def setup_django(database: str):
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop")
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    from bench.secrets_env import use_throwaway_keys

    use_throwaway_keys()
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["ELASTICSEARCH_URL"] = ""
    import logging

    import django

    django.setup()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return admin_url


def build_catalogue(count: int, rng: random.Random) -> None:
    """Synthetic rows straight into the tables (a bench shortcut: the listing columns are set
    directly, without certification decisions)."""
    import datetime

    from catalog.models import Commune, Producer, Product, ProductGroup
    from storefront.models import ProductListing

    today = datetime.date.today()
    groups = list(ProductGroup.objects.all())
    communes = Commune.objects.bulk_create(
        Commune(name=f"Xã {place} {n}", district=place, province="Đắk Lắk") for n in range(4) for place in PLACES
    )
    producers = Producer.objects.bulk_create(
        Producer(
            kind=Producer.Kind.COOPERATIVE,
            name=f"HTX {rng.choice(PLACES)} số {n}",
            registration_number=f"{6000000000 + n}",
            commune=rng.choice(communes),
        )
        for n in range(max(count // 40, 1))
    )
    products = []
    for n in range(count):
        kind_vi, kind_en = rng.choice(KINDS)
        place = rng.choice(PLACES)
        listable = rng.random() < 0.9
        products.append(
            Product(
                producer=rng.choice(producers),
                group=rng.choice(groups),
                name_vi=f"{kind_vi} {place} {n}",
                name_en=f"{place} {kind_en} {n}",
                certified_stars=rng.choice([3, 3, 3, 4, 4, 5]) if listable else rng.choice([None, 2]),
                certified_until=today + datetime.timedelta(days=rng.randint(1, 900)) if listable else None,
            )
        )
    products = Product.objects.bulk_create(products, batch_size=2000)
    ProductListing.objects.bulk_create(
        (
            ProductListing(
                product=p,
                price=Decimal(rng.randrange(30, 2000) * 1000),
                stock=rng.randint(0, 50),
                sku=f"B{p.pk}",
                featured=rng.random() < 0.01,
            )
            for p in products
        ),
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


GROUP_CODES = ["1", "2", "3", "4", "5", "6"]


def random_query(rng, *, with_text: bool):
    from storefront.search import SearchQuery, Sort

    choice = rng.random()
    kwargs = {}
    if choice < 0.25:
        kwargs["min_stars"] = rng.choice([4, 5])
    elif choice < 0.5:
        kwargs["group_code"] = rng.choice(GROUP_CODES)
    elif choice < 0.7:
        low = rng.randrange(30, 1000) * 1000
        kwargs.update(price_min=Decimal(low), price_max=Decimal(low + 300000))
    if with_text:
        kwargs["text"] = rng.choice(QUERIES)
        kwargs["sort"] = rng.choice([Sort.RELEVANCE, Sort.RELEVANCE, Sort.PRICE_ASC, Sort.STARS])
    else:
        kwargs["sort"] = rng.choice([Sort.STARS, Sort.PRICE_ASC, Sort.PRICE_DESC, Sort.NAME, Sort.NEWEST])
    kwargs["offset"] = rng.choice([0, 0, 0, 24, 48])
    return SearchQuery(**kwargs)


def elapsed_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def timed(fn, baseline, runs: int) -> tuple[list[float], list[float]]:
    """``runs`` samples of ``fn``, each followed by one of ``baseline`` (so both see the same load)."""
    samples, reference = [], []
    for _ in range(runs):
        samples.append(elapsed_ms(fn))
        reference.append(elapsed_ms(baseline))
    return samples, reference


def measure(backend, client, rng, runs: int):
    from storefront.search import store_products

    listable = list(store_products().values_list("pk", flat=True)[:1000])

    def baseline():
        store_products().get(pk=rng.choice(listable))

    timed(lambda: backend.search(random_query(rng, with_text=True)), baseline, 5)  # warm up
    yield "listing", timed(lambda: backend.search(random_query(rng, with_text=False)), baseline, runs)
    yield "search", timed(lambda: backend.search(random_query(rng, with_text=True)), baseline, runs)
    yield "page /products/?q=", timed(lambda: client.get("/products/", {"q": rng.choice(QUERIES)}), baseline, runs)


def percentile(samples, q):
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up (noida, scratch DB) when killed
    rng = random.Random(20261130)
    admin_url = setup_django(args.database)
    from django.conf import settings
    from django.test import Client

    from storefront import search

    started = time.perf_counter()
    build_catalogue(args.products, rng)
    print(f"catalogue: {args.products} products built in {time.perf_counter() - started:.1f} s")

    noida, es_url = None, ""
    if "elasticsearch" in args.backends.split(","):
        noida, es_url = start_noida(tempfile.mkdtemp(prefix="noida-bench-"))
    rows = []
    try:
        for name, url in (("database", ""), ("elasticsearch", es_url)):
            if name not in args.backends.split(","):
                continue
            settings.ELASTICSEARCH_URL = url
            settings.ELASTICSEARCH_INDEX = "bench-products"
            search._backends.clear()
            backend = search.get_backend()
            started = time.perf_counter()
            indexed = backend.rebuild()
            print(f"{name}: indexed {indexed} rows in {time.perf_counter() - started:.1f} s")
            for label, (samples, reference) in measure(backend, Client(), rng, args.runs):
                figures = [percentile(samples, q) for q in (50, 95, 99)]
                base = [percentile(reference, q) for q in (50, 95, 99)]
                rows.append((name, label, figures, base))
                print(
                    f"  {name} {label}: "
                    + ", ".join(f"p{q} {v:.1f} ms" for q, v in zip((50, 95, 99), figures, strict=True))
                )
    finally:
        if noida:
            os.killpg(noida.pid, signal.SIGTERM)
            noida.wait(timeout=10)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    print(f"\n{args.products} products, {args.runs} runs per operation; baseline: one product by primary key")
    header = "".join(f"{h:>9}" for h in ("p50 ms", "p95 ms", "p99 ms", "base p50", "base p95", "base p99"))
    print(f"{'backend':<14} {'operation':<20}{header}{'x p50':>8}{'x p95':>8}{'x p99':>8}")
    for name, label, figures, base in rows:
        cells = "".join(f"{v:>9.1f}" for v in (*figures, *base))
        ratios = "".join(f"{f / b:>8.1f}" for f, b in zip(figures, base, strict=True))
        print(f"{name:<14} {label:<20}{cells}{ratios}")
    print("\n(shared 2-core machine: other work was running; figures are indicative)")


if __name__ == "__main__":
    main()
