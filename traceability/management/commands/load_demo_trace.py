"""Load the traceability part of the demo (idempotent): a lot of a few demo products, five serials each,
shipping and receiving events to a demo sales point, and the scan URLs to try.

Serials are issued by running the issuance service directly (no Celery needed). The products are chosen
by their live status today (through catalog's listing rule), so the printed URLs show what they claim.
"""

import dataclasses
import datetime
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalog import demo_data
from catalog.models import Product
from catalog.querysets import local_today
from traceability import epcis, services
from traceability.identifiers import base_url, uri_of
from traceability.models import EpcisEvent, Item, Lot
from traceability.querysets import Status, scan_record
from traceability.resolver.uris import canonical_path

#: Serials issued per demo lot.
SERIALS = 5
#: The demo sales point the genuine items are shipped to (created by integrations' ``load_demo_points``).
SALES_POINT_CODE = "bmt-airport"
#: Days before now the demo lots were labelled (commissioned), shipped and received at the airport point.
COMMISSIONED_DAYS_AGO, SHIPPED_DAYS_AGO, RECEIVED_DAYS_AGO = 3, 2, 1
#: A well-formed serial that is never issued: the "unknown code" example.
UNKNOWN_SERIAL = "0000-0000-0000-0000"
_EVENT_NAMESPACE = uuid.UUID("6f1c2a7e-0c55-4d2e-9a51-3b8f0d0c0a11")


@dataclasses.dataclass(frozen=True)
class DemoLot:
    number: str
    label: str
    product: Product | None
    shipped: bool


class Command(BaseCommand):
    help = "Load demo lots, serials and EPCIS events, and print one scan URL per status (safe to run again)."

    def handle(self, *args, **options):
        today = local_today()
        demo_products = Product.objects.filter(name_vi__in=[row[1] for row in demo_data.PRODUCTS])
        if not demo_products.exists():
            raise CommandError("The demo registry is not loaded: run 'manage.py load_demo' first.")
        listable = demo_products.listable(today)
        specs = [
            DemoLot(
                "DEMO-5STAR",
                "genuine, 5★ with a GTIN (GS1 Digital Link)",
                listable.filter(certified_stars=5).exclude(gtin="").order_by("pk").first(),
                shipped=True,
            ),
            DemoLot(
                "DEMO-NOGTIN",
                "genuine, without a GTIN (short URI)",
                listable.filter(gtin="").order_by("-certified_until", "pk").first(),
                shipped=True,
            ),
            DemoLot(
                "DEMO-REVOKED",
                "revoked certificate",
                demo_products.filter(certificate_revoked=True).order_by("pk").first(),
                shipped=False,
            ),
            DemoLot(
                "DEMO-EXPIRED",
                "expired certificate",
                demo_products.filter(certificate_revoked=False, certified_stars__gte=3, certified_until__lt=today)
                .order_by("pk")
                .first(),
                shipped=False,
            ),
        ]
        lots = []
        for spec in specs:
            if spec.product is None:
                self.stderr.write(f"No demo product fits '{spec.label}': skipped.")
                continue
            lot = self._lot(spec, today)
            self._issue(lot)
            if spec.shipped:
                self._ship(lot)
            lots.append((spec, lot))
        self.stdout.write(
            f"Demo traceability: {len(lots)} lots, {Item.objects.filter(lot__in=[lot for _s, lot in lots]).count()} "
            f"serials, {EpcisEvent.objects.filter(lot__in=[lot for _s, lot in lots]).count()} EPCIS events."
        )
        self._print_scan_urls(lots, today)

    def _lot(self, spec: DemoLot, today: datetime.date) -> Lot:
        lot = Lot.objects.filter(product=spec.product, number=spec.number).first()
        if lot is not None:
            return lot
        produced_on = today - datetime.timedelta(days=20)
        if spec.product.certified_until and spec.product.certified_until < produced_on:
            produced_on = spec.product.certified_until - datetime.timedelta(days=30)  # made while certified
        return services.create_lot(
            product=spec.product,
            number=spec.number,
            produced_on=produced_on,
            expires_on=produced_on + datetime.timedelta(days=365),
            quantity=500,
            origin_commune=spec.product.producer.commune,
            notes="Demo lot",
            actor=None,
        )

    def _issue(self, lot: Lot) -> None:
        missing = SERIALS - lot.items.count()
        if missing <= 0:
            return
        with transaction.atomic():  # the queued task finds the job done and does nothing
            job = services.start_issuance(lot=lot, count=missing, actor=None)
            job = services.run_issuance(job.pk)
        if job.status != job.Status.DONE:
            raise CommandError(f"Issuing serials for lot {lot.number} failed: {job.error}")
        self._backdate_commissioning(lot)

    def _backdate_commissioning(self, lot: Lot) -> None:
        """The serials were just issued (commissioned now), but the demo's lot was labelled before it was
        shipped two days ago and received at the airport point yesterday: put the commissioning first, so the
        events are in a true order and the scan page's last step is the airport."""
        at = timezone.now() - datetime.timedelta(days=COMMISSIONED_DAYS_AGO)
        for event in EpcisEvent.objects.filter(lot=lot, biz_step=EpcisEvent.BizStep.COMMISSIONING, event_time__gt=at):
            event.event_time = at
            event.document = {**event.document, "eventTime": timezone.localtime(at).isoformat()}
            event.save(update_fields=["event_time", "document"])

    def _ship(self, lot: Lot) -> None:
        items = list(Item.objects.filter(lot=lot).select_related("lot__product").order_by("pk"))
        epcs = [uri_of(item) for item in items]
        producer = epcis.producer_location(lot.product.producer_id)
        point = epcis.sales_point_location(SALES_POINT_CODE)
        now = timezone.now()
        events = []
        for step, days_ago, extra in (
            ("shipping", SHIPPED_DAYS_AGO, {"readPoint": {"id": producer}, "bizLocation": {"id": producer}}),
            ("receiving", RECEIVED_DAYS_AGO, {"readPoint": {"id": point}, "bizLocation": {"id": point}}),
        ):
            event_id = f"urn:uuid:{uuid.uuid5(_EVENT_NAMESPACE, f'{lot.product_id}:{lot.number}:{step}')}"
            if EpcisEvent.objects.filter(event_id=event_id).exists():
                continue
            at = now - datetime.timedelta(days=days_ago)
            events.append(
                {
                    "type": "ObjectEvent",
                    "eventID": event_id,
                    "eventTime": timezone.localtime(at).isoformat(),
                    "eventTimeZoneOffset": epcis.time_zone_offset(at),
                    "epcList": epcs,
                    "action": "OBSERVE",
                    "bizStep": step,
                    "disposition": "in_transit" if step == "shipping" else "in_progress",
                    "sourceList": [{"type": "location", "source": producer}],
                    "destinationList": [{"type": "location", "destination": point}],
                    **extra,
                }
            )
        if events:
            services.capture_events(body=epcis.document(events), actor_label="demo")

    def _print_scan_urls(self, lots, today: datetime.date) -> None:
        self.stdout.write("Scan pages (the QR codes of demo items):")
        for spec, lot in lots:
            item = Item.objects.filter(lot=lot).select_related("lot__product").order_by("pk").first()
            record = scan_record(item.serial, today)
            status = record.status if record else Status.UNKNOWN
            self.stdout.write(f"    scan {status}: {uri_of(item)}    ({spec.product}; {spec.label})")
            if spec.shipped and lot.product.gtin:  # what most packages carry: the product's or the lot's code
                product_uri = f"{base_url()}{canonical_path(gtin=lot.product.gtin)}"
                lot_uri = f"{base_url()}{canonical_path(gtin=lot.product.gtin, lot=lot.number)}"
                self.stdout.write(f"    scan {status}: {product_uri}    ({spec.product}; product-level code)")
                self.stdout.write(f"    scan {status}: {lot_uri}    ({spec.product}; lot-level code)")
        self.stdout.write(f"    scan {Status.UNKNOWN}: {base_url()}/q/{UNKNOWN_SERIAL}    (a code never issued)")
