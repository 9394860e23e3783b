"""Seed a scratch database for the scan benchmark: certified products, lots and their serials.

Run by bench/scan.sh with DATABASE_URL pointing at the scratch database (already migrated).
Writes one scan-page path per line to the file named by the first argument.
"""

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

import django  # noqa: E402

django.setup()

from catalog import services as catalog_services  # noqa: E402
from catalog.models import Commune, Level, Producer, Product, ProductGroup  # noqa: E402
from traceability import services  # noqa: E402
from traceability.identifiers import item_path  # noqa: E402
from traceability.models import IssuanceJob, Item, Lot  # noqa: E402


def main(out: str, items_total: int, products: int = 10) -> None:
    if Item.objects.count() < items_total:
        commune, _ = Commune.objects.get_or_create(name="Phường Buôn Ma Thuột", province="Đắk Lắk")
        group = ProductGroup.objects.get(code="1")
        producer, _ = Producer.objects.get_or_create(
            registration_number="6000999999",
            defaults={"kind": Producer.Kind.COOPERATIVE, "name": "HTX Bench Buôn Ma Thuột", "commune": commune},
        )
        per_product = items_total // products
        for n in range(products):
            gtin = "" if n % 4 == 3 else _gtin(n)
            product, created = Product.objects.get_or_create(
                producer=producer,
                name_vi=f"Cà phê bench {n}",
                defaults={"name_en": f"Bench coffee {n}", "group": group, "gtin": gtin},
            )
            if created:
                catalog_services.issue_certification(
                    number=f"{n}/QĐ-UBND-BENCH",
                    signed_on=datetime.date(2025, 9, 1),
                    authority_level=Level.PROVINCE,
                    authority_name="UBND tỉnh Đắk Lắk",
                    awards=[catalog_services.Award(product=product, stars=4)],
                    actor=None,
                    history=True,
                )
            lot, _ = Lot.objects.get_or_create(
                product=product,
                number=f"B{n:03d}",
                defaults={"produced_on": datetime.date(2026, 10, 1), "expires_on": datetime.date(2027, 10, 1)},
            )
            missing = per_product - lot.items.count()
            if missing > 0:
                services.run_issuance(IssuanceJob.objects.create(lot=lot, requested=missing).pk)
            print(f"  product {n + 1}/{products}: {lot.items.count()} serials", flush=True)
    with open(out, "w") as handle:
        for serial, gtin, number, expires in Item.objects.values_list(
            "serial", "lot__product__gtin", "lot__number", "lot__expires_on"
        ).iterator(chunk_size=10_000):
            handle.write(item_path(gtin=gtin, lot=number, serial=serial, expires_on=expires) + "\n")


def _gtin(n: int) -> str:
    body = f"89346029{n:04d}"  # GTIN-13 data digits; with a leading 0 and the check digit: GTIN-14
    digits = [int(d) for d in "0" + body]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return "0" + body + str((10 - total % 10) % 10)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
