"""Time one 10,000-label PDF sheet (run by bench/scan.sh against its scratch database).

Prints the sheet's wall and CPU time, its peak memory (the process's maximum resident set), and, measured in the
same run as the baseline, the CPU time segno alone takes to encode the same lot's QR codes (the floor of any
sheet made with it): the ratio says what the PDF adds. Issue #16's target: 10,000 labels in 8 s or less.

    bench/labels.py [LABELS]   (DATABASE_URL of a database seeded by bench/scan_seed.py)
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

from bench.secrets_env import use_throwaway_keys  # noqa: E402

use_throwaway_keys()

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from traceability.identifiers import item_uri  # noqa: E402
from traceability.labels import render_lot_labels  # noqa: E402
from traceability.models import Lot  # noqa: E402
from traceability.qr import make  # noqa: E402

TARGET_SECONDS = 8.0


def encoding_only(lot) -> float:
    """CPU seconds segno takes for the lot's codes, made as the sheet makes them."""
    product = lot.product
    serials = list(lot.items.order_by("pk").values_list("serial", flat=True))
    started = time.process_time()
    first = None
    for serial in serials:
        code = make(item_uri(gtin=product.gtin, lot=lot.number, serial=serial, expires_on=lot.expires_on), like=first)
        first = first or code
    return time.process_time() - started


def main(labels: int = 10_000) -> None:
    lot = Lot.objects.annotate(n=Count("items")).filter(n=labels).select_related("product").first()
    if lot is None:
        sys.exit(f"no lot with exactly {labels} serials; seed with 10 products x {labels}")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        started, cpu = time.perf_counter(), time.process_time()
        count = render_lot_labels(lot, handle)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = os.path.getsize(handle.name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor = encoding_only(lot)
    print(
        f"label sheet: {count} labels, {count / 24:.0f} A4 pages, {size / 1e6:.1f} MB, {elapsed:.1f} s wall, "
        f"{cpu:.1f} s CPU ({count / cpu:.0f} labels per CPU second), peak memory {peak:.0f} MB | baseline (segno "
        f"alone, same codes, same run): {floor:.1f} s CPU | ratio {cpu / floor:.2f} | target <= {TARGET_SECONDS:.0f} s "
        f"(CPU): {'met' if cpu <= TARGET_SECONDS else 'not met'} (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
