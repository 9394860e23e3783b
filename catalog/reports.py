"""Figures of the registry for the province's OCOP office: pure functions over querysets.

"Certified" always means catalog's listing rule (``Product.objects.listable(today)``): a product counts as
an OCOP product on ``today`` exactly when it may be sold as one. Targets of the year's plan are data
(``settings.OCOP_PLAN_TARGETS``), never written in templates.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Count, Min, Q

from .models import Certificate, Evaluation, Level, Product
from .querysets import MIN_CERTIFIED_STARS, local_today

#: "2018–2020 products": products whose first certificate was issued in this range (inclusive).
FIRST_PLAN_PERIOD = (datetime.date(2018, 1, 1), datetime.date(2020, 12, 31))
DEFAULT_TARGETS = {
    "retained_share_min": 85,
    "new_products_min": 40,
    "new_products_max": 50,
    "central_candidates_min": 1,
}


def targets() -> dict:
    return {**DEFAULT_TARGETS, **getattr(settings, "OCOP_PLAN_TARGETS", {})}


def certified(today: datetime.date | None = None):
    return Product.objects.listable(today)


def products_by_stars(today: datetime.date | None = None) -> list[tuple[int, int]]:
    """(stars, number of certified products) for 3★, 4★ and 5★, zeros included."""
    counts = dict(certified(today).values_list("certified_stars").annotate(n=Count("pk")))
    return [(stars, counts.get(stars, 0)) for stars in range(MIN_CERTIFIED_STARS, 6)]


def products_by_group(today: datetime.date | None = None) -> list[dict]:
    """Certified products per product group: code, names, count (groups without products omitted)."""
    rows = (
        certified(today)
        .values("group__code", "group__name_vi", "group__name_en")
        .annotate(count=Count("pk"))
        .order_by("group__code")
    )
    return [
        {"code": r["group__code"], "name_vi": r["group__name_vi"], "name_en": r["group__name_en"], "count": r["count"]}
        for r in rows
    ]


def products_by_commune(today: datetime.date | None = None) -> list[dict]:
    """Certified products per producer's commune, most first."""
    rows = (
        certified(today)
        .values("producer__commune__pk", "producer__commune__name", "producer__commune__district")
        .annotate(count=Count("pk"))
        .order_by("-count", "producer__commune__name")
    )
    return [
        {
            "commune_id": r["producer__commune__pk"],
            "commune": r["producer__commune__name"],
            "district": r["producer__commune__district"],
            "count": r["count"],
        }
        for r in rows
    ]


def expiring_certificates(today: datetime.date | None = None, days: int = 90):
    """Certified products whose certificate's last valid day falls within the next ``days`` days."""
    today = today or local_today()
    return (
        certified(today)
        .filter(certified_until__lte=today + datetime.timedelta(days=days))
        .select_related("producer", "producer__commune", "current_certificate__decision")
        .order_by("certified_until", "name_vi")
    )


@dataclasses.dataclass(frozen=True)
class PlanProgress:
    year: int
    first_period_products: int
    first_period_still_certified: int
    new_products: int
    central_candidates: int
    targets: dict

    @property
    def retained_share(self) -> float | None:
        """Percentage of the 2018–2020 products still certified (None when there were none)."""
        if not self.first_period_products:
            return None
        return round(100 * self.first_period_still_certified / self.first_period_products, 1)

    @property
    def retained_on_target(self) -> bool:
        return self.retained_share is not None and self.retained_share > self.targets["retained_share_min"]

    @property
    def new_products_on_target(self) -> bool:
        return self.new_products >= self.targets["new_products_min"]

    @property
    def central_candidates_on_target(self) -> bool:
        return self.central_candidates >= self.targets["central_candidates_min"]


def first_certified_between(start: datetime.date, end: datetime.date):
    """Products whose first 3★+ certificate was issued between ``start`` and ``end`` (inclusive)."""
    return Product.objects.annotate(
        first_issued=Min("certificates__issued_on", filter=Q(certificates__stars__gte=MIN_CERTIFIED_STARS))
    ).filter(first_issued__gte=start, first_issued__lte=end)


def retention_day(year: int, today: datetime.date) -> datetime.date:
    """The day a year's retention is counted on: the end of that year, or today for the current year."""
    return min(datetime.date(year, 12, 31), today)


def certified_on(day: datetime.date, today: datetime.date | None = None):
    """Products that were OCOP products on ``day``.

    From today on this is the listing rule itself. For a past day it is the certificates' history: a 3★+
    certificate issued on or before that day, still within its validity, and not revoked by a decision signed
    on or before it (a later upgrade or renewal superseding it does not matter: the product was certified).
    """
    today = today or local_today()
    if day >= today:
        return certified(day)
    held = (
        Certificate.objects.filter(stars__gte=MIN_CERTIFIED_STARS, issued_on__lte=day, valid_until__gte=day)
        .filter(Q(revocation__isnull=True) | Q(revocation__signed_on__gt=day))
        .values("product")
    )
    return Product.objects.filter(pk__in=held)


def plan_progress(year: int | None = None, today: datetime.date | None = None) -> PlanProgress:
    """Progress against the year's plan (seed plan, section I.2); retention as at ``retention_day``."""
    today = today or local_today()
    year = year or today.year
    first_period = first_certified_between(*FIRST_PLAN_PERIOD)
    still_certified = certified_on(retention_day(year, today), today).values("pk")
    return PlanProgress(
        year=year,
        first_period_products=first_period.count(),
        first_period_still_certified=first_period.filter(pk__in=still_certified).count(),
        new_products=first_certified_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31)).count(),
        central_candidates=(
            Evaluation.objects.filter(forwarded_to=Level.CENTRAL, evaluated_on__year=year)
            .values("product")
            .distinct()
            .count()
        ),
        targets=targets(),
    )
