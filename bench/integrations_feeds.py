"""Time the Google (XML) and Meta (CSV) feed rendering and request signing, without a database.

Run: DJANGO_SECRET_KEY=x .venv/bin/python bench/integrations_feeds.py [offers]
"""

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

from bench.secrets_env import use_throwaway_keys  # noqa: E402

use_throwaway_keys()

import django  # noqa: E402

django.setup()

from integrations.feeds import documents as feeds  # noqa: E402
from integrations.marketplaces.adapters.lazada import lazada_sign  # noqa: E402
from integrations.marketplaces.adapters.shopee import shopee_sign  # noqa: E402
from integrations.offers import Offer  # noqa: E402


def offers(n):
    return [
        Offer(
            product_id=i,
            sku=f"OCOP-DL-{i:05d}",
            title=f"Cà phê bột Buôn Ma Thuột {i}",
            title_en="",
            description="Cà phê Robusta rang xay " * 20,
            price=Decimal("150000"),
            stock=i % 7,
            link=f"https://ocop.example/products/{i}/",
            image_link=f"https://ocop.example/media/{i}.jpg",
            brand="HTX Cà phê Buôn Ma Thuột",
            gtin="08934602001238" if i % 2 else "",
            stars=4,
            certificate_number="377/QĐ-UBND",
            certified_until=datetime.date(2028, 9, 1),
            weight_grams=250,
        )
        for i in range(n)
    ]


def timed(label, fn, repeat=5):
    best = min(_once(fn) for _ in range(repeat))
    print(f"{label}: {best * 1000:.1f} ms")


def _once(fn):
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(n=5000):
    data = offers(n)
    timed(f"Google feed, {n} products", lambda: feeds.google_feed(data))
    timed(f"Meta CSV, {n} products", lambda: feeds.meta_feed(data))
    params = {"access_token": "t", "app_key": "1", "sign_method": "sha256", "timestamp": "1", "payload": "x" * 2000}
    timed(
        "10,000 Shopee signatures",
        lambda: [shopee_sign("k", "1", "/api/v2/product/add_item", "1", "t", "2") for _ in range(10_000)],
    )
    timed("10,000 Lazada signatures", lambda: [lazada_sign("k", "/product/create", params) for _ in range(10_000)])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
