"""The consolidated report of the OCOP office to the provincial People's Committee, for a year or a quarter.

The plan's indicators, as tables (the page, the XLSX workbook and the PDF are the same tables): certified
products by group, stars and commune and producers by type and commune at the end of the period; products new,
retained, upgraded, downgraded and revoked in it; sales by channel and month; events and participation; the
pipeline of potential products against the "40–50 new products" target; which communes reported.
"""

import dataclasses
import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from catalog import reports as registry
from catalog.models import Certificate, Producer, Product
from catalog.models.reference import in_reader_language
from catalog.programme import querysets as programme
from catalog.programme.models import Event, PotentialProduct, ReportingPeriod
from catalog.querysets import MIN_CERTIFIED_STARS
from integrations.dashboards.exports import Table

from . import sales as channel_sales


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str

    @classmethod
    def of(cls, year: int, quarter: int | None = None) -> "Period":
        if quarter:
            start = datetime.date(year, 3 * quarter - 2, 1)
            end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - datetime.timedelta(
                days=1
            )
            return cls(start, end, _("Quarter %(quarter)s/%(year)s") % {"quarter": quarter, "year": year})
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), _("Year %(year)s") % {"year": year})


@dataclasses.dataclass(frozen=True)
class Changes:
    new: list
    retained: list
    upgraded: list
    downgraded: list
    revoked: list


def changes(period: Period) -> Changes:
    """Certificates (3★ or more) issued in the period, each compared with the product's previous one; and the
    certificates revoked by decisions signed in the period."""
    issued = (
        Certificate.objects.filter(issued_on__range=(period.start, period.end), stars__gte=MIN_CERTIFIED_STARS)
        .select_related("product__producer__commune")
        .order_by("issued_on", "pk")
    )
    result = Changes([], [], [], [], [])
    for certificate in issued:
        previous = (
            Certificate.objects.filter(
                product=certificate.product, issued_on__lt=certificate.issued_on, stars__gte=MIN_CERTIFIED_STARS
            )
            .order_by("-issued_on", "-pk")
            .first()
        )
        if previous is None:
            result.new.append(certificate)
        elif certificate.stars > previous.stars:
            result.upgraded.append(certificate)
        elif certificate.stars < previous.stars:
            result.downgraded.append(certificate)
        else:
            result.retained.append(certificate)
    result.revoked.extend(
        Certificate.objects.filter(revocation__signed_on__range=(period.start, period.end))
        .select_related("product__producer__commune", "revocation")
        .order_by("revocation__signed_on", "pk")
    )
    return result


def producers_by_kind(on: datetime.date) -> list[tuple[str, int]]:
    """Producers holding at least one certified product on ``on``, per type (every type, zeros included)."""
    counts = dict(
        Producer.objects.filter(products__in=Product.objects.listable(on))
        .values("kind")
        .annotate(n=Count("pk", distinct=True))
        .values_list("kind", "n")
    )
    return [(str(label), counts.get(kind, 0)) for kind, label in Producer.Kind.choices]


def producers_by_commune(on: datetime.date) -> list[tuple[str, int]]:
    rows = (
        Producer.objects.filter(products__in=Product.objects.listable(on))
        .values("commune__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "commune__name")
    )
    return [(row["commune__name"], row["n"]) for row in rows]


def _group_name(row) -> str:
    return in_reader_language(row["name_vi"], row["name_en"])


def _certificate_rows(certificates) -> list[list]:
    return [
        [
            c.product.name_vi,
            c.product.producer.name,
            c.product.producer.commune.name,
            f"{c.stars}★",
            (c.revocation.signed_on if c.revocation_id else c.issued_on).strftime("%d/%m/%Y"),
        ]
        for c in certificates
    ]


def tables(period: Period, *, products) -> list[Table]:
    """Every table of the report; ``products`` is the reader's scope of the registry's products (sales)."""
    end = period.end
    stars = registry.products_by_stars(end)
    groups = registry.products_by_group(end)
    communes = registry.products_by_commune(end)
    result = [
        Table(
            "products_stars",
            _("Certified products by stars, on %(date)s") % {"date": f"{end:%d/%m/%Y}"},
            [_("Stars"), _("Products")],
            [[f"{s}★", n] for s, n in stars] + [[_("Total"), sum(n for _s, n in stars)]],
        ),
        Table(
            "products_group",
            _("Certified products by group"),
            [_("Code"), _("Group"), _("Products")],
            [[g["code"], _group_name(g), g["count"]] for g in groups],
        ),
        Table(
            "products_commune",
            _("Certified products by commune"),
            [_("Commune"), _("District"), _("Products")],
            [[c["commune"], c["district"], c["count"]] for c in communes],
        ),
        Table(
            "producers_kind",
            _("Producers with a certified product, by type"),
            [_("Type"), _("Producers")],
            [list(row) for row in producers_by_kind(end)],
        ),
        Table(
            "producers_commune",
            _("Producers with a certified product, by commune"),
            [_("Commune"), _("Producers")],
            [list(row) for row in producers_by_commune(end)],
        ),
    ]
    moved = changes(period)
    result.append(
        Table(
            "changes",
            _("Certificates in the period"),
            [_("Indicator"), _("Products")],
            [
                [_("New products (first certificate)"), len(moved.new)],
                [_("Retained (re-certified at the same stars)"), len(moved.retained)],
                [_("Upgraded (more stars)"), len(moved.upgraded)],
                [_("Re-certified at fewer stars"), len(moved.downgraded)],
                [_("Revoked"), len(moved.revoked)],
            ],
        )
    )
    headers = [_("Product"), _("Producer"), _("Commune"), _("Stars"), _("Date")]
    result += [
        Table("new", _("New products"), headers, _certificate_rows(moved.new)),
        Table("upgraded", _("Upgraded products"), headers, _certificate_rows(moved.upgraded)),
        Table("revoked", _("Revoked certificates"), headers, _certificate_rows(moved.revoked)),
    ]
    rows = channel_sales.sales(period.start, period.end, products=products)
    quantity, revenue = channel_sales.total(rows)
    result.append(
        Table(
            "sales_channel",
            _("Sales by channel"),
            [_("Channel"), _("Quantity sold"), _("Revenue (VND)")],
            [[str(c["label"]), c["quantity"], c["revenue"]] for c in channel_sales.by_channel(rows)]
            + [[_("All channels"), quantity, revenue]],
        )
    )
    result.append(
        Table(
            "sales_month",
            _("Sales by month and channel"),
            [_("Month"), _("Channel"), _("Quantity sold"), _("Revenue (VND)")],
            [
                [f"{e['month']:%m/%Y}", str(channel_sales.CHANNELS[e["channel"]]), e["quantity"], e["revenue"]]
                for e in channel_sales.by(rows, "month", "channel")
            ],
        )
    )
    events = (
        Event.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start)
        .exclude(status__in=(Event.Status.DRAFT, Event.Status.CANCELLED))
        .order_by("starts_on")
    )
    summary = programme.participation_summary(events)
    result.append(
        Table(
            "events",
            _("Events and participation"),
            [
                _("Event"),
                _("Kind"),
                _("Level"),
                _("Dates"),
                _("Applications"),
                _("Participants"),
                _("Sales reported (VND)"),
                _("Contacts"),
            ],
            [
                [
                    r["event"].name_vi,
                    r["event"].get_kind_display(),
                    r["event"].get_level_display(),
                    f"{r['event'].starts_on:%d/%m/%Y}–{r['event'].ends_on:%d/%m/%Y}",
                    r["applied"],
                    r["selected"],
                    r["revenue"],
                    r["contacts"],
                ]
                for r in summary
            ]
            + [
                [
                    _("Total"),
                    "",
                    "",
                    "",
                    sum(r["applied"] for r in summary),
                    sum(r["selected"] for r in summary),
                    sum(r["revenue"] for r in summary),
                    sum(r["contacts"] for r in summary),
                ]
            ],
        )
    )
    result.append(_pipeline(period))
    result.append(_reporting(period))
    return result


def _pipeline(period: Period) -> Table:
    recorded = PotentialProduct.objects.filter(recorded_on__range=(period.start, period.end))
    stages = {row["key"]: row for row in programme.pipeline_counts(recorded, by="year")}
    counts = {stage: sum(row[stage.value] for row in stages.values()) for stage in programme.PIPELINE_STAGES}
    target = registry.targets()
    certified = (
        programme.with_stage()
        .filter(
            stage=PotentialProduct.Stage.CERTIFIED,
            application__certificate__issued_on__range=(period.start, period.end),
        )
        .count()
    )
    return Table(
        "pipeline",
        _("Potential products"),
        [_("Indicator"), _("Value")],
        [
            *[[_("Recorded in the period: %(stage)s") % {"stage": stage.label}, n] for stage, n in counts.items()],
            [_("Certified from the pipeline in the period"), certified],
            [_("Plan target of new products per year"), f"{target['new_products_min']}–{target['new_products_max']}"],
        ],
    )


def _reporting(period: Period) -> Table:
    periods = (
        ReportingPeriod.objects.filter(ends_on__range=(period.start, period.end))
        .annotate(
            asked=Count("communes", distinct=True),
            answered=Count("reports", distinct=True, filter=Q(reports__isnull=False)),
        )
        .order_by("ends_on")
    )
    return Table(
        "reporting",
        _("Reports from communes"),
        [_("Period"), _("Deadline"), _("Communes asked"), _("Reported"), _("Not reported")],
        [[p.title, f"{p.deadline:%d/%m/%Y}", p.asked, p.answered, p.asked - p.answered] for p in periods],
    )
