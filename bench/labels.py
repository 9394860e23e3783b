"""Time one 10,000-label PDF sheet (run by bench/scan.sh against its scratch database)."""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from traceability.labels import render_lot_labels  # noqa: E402
from traceability.models import Lot  # noqa: E402


def main(labels: int = 10_000) -> None:
    lot = Lot.objects.annotate(n=Count("items")).filter(n=labels).select_related("product").first()
    if lot is None:
        sys.exit(f"no lot with exactly {labels} serials; seed with 10 products x {labels}")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        started = time.perf_counter()
        count = render_lot_labels(lot, handle)
        elapsed = time.perf_counter() - started
        size = os.path.getsize(handle.name)
    print(
        f"label sheet: {count} labels, {count / 24:.0f} A4 pages, {size / 1e6:.1f} MB, {elapsed:.1f} s "
        f"({count / elapsed:.0f} labels/s)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
