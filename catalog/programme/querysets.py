"""Reads of the programme that pages, the dashboard and the reports share."""

import datetime

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language

from catalog.querysets import local_today

from .models import Event, EventSale, Participation, PotentialProduct

Stage = PotentialProduct.Stage


def public_events(today: datetime.date | None = None):
    """Announced events that have not ended yet, soonest first: what consumers see."""
    today = today or local_today()
    return Event.objects.filter(status__in=Event.PUBLIC, ends_on__gte=today).order_by("starts_on", "pk")


def meet_the_producer(product, today: datetime.date | None = None) -> list[Participation]:
    """Where consumers can meet the product's producer: selected participations showing it, not yet over."""
    today = today or local_today()
    return list(
        Participation.objects.filter(
            status=Participation.Status.SELECTED,
            products=product,
            event__status__in=Event.PUBLIC,
            event__ends_on__gte=today,
        )
        .select_related("event")
        .order_by("event__starts_on")[:3]
    )


def tours_of(producer) -> list:
    """Active tour routes that visit ``producer`` (an instance or its id)."""
    from .models import TourRoute

    return list(
        TourRoute.objects.filter(active=True, stops__producer=producer)
        .select_related("operator")
        .order_by("name_vi")[:5]
    )


def open_for_applications(today: datetime.date | None = None):
    today = today or local_today()
    return Event.objects.filter(status=Event.Status.OPEN, ends_on__gte=today).filter(
        Q(applications_close_on__isnull=True) | Q(applications_close_on__gte=today)
    )


def with_stage(queryset=None):
    """Potential products with ``stage``: dropped, or read from the linked application as it moves."""
    from catalog.applications.models import Application

    queryset = PotentialProduct.objects.all() if queryset is None else queryset
    evaluated = (Application.Status.AWAITING_DECISION, Application.Status.NOT_QUALIFIED)
    return queryset.annotate(
        stage=Case(
            When(application__status=Application.Status.CERTIFIED, then=Value(Stage.CERTIFIED)),
            When(
                Q(application__status__in=evaluated) | Q(application__evaluation__isnull=False),
                then=Value(Stage.EVALUATED),
            ),
            When(application__isnull=False, application__status=Application.Status.DRAFT, then=Value(Stage.POTENTIAL)),
            When(application__isnull=False, then=Value(Stage.APPLIED)),
            When(dropped=True, then=Value(Stage.DROPPED)),
            default=Value(Stage.POTENTIAL),
            output_field=CharField(),
        )
    )


PIPELINE_STAGES = (Stage.POTENTIAL, Stage.APPLIED, Stage.EVALUATED, Stage.CERTIFIED, Stage.DROPPED)


def pipeline_counts(queryset=None, *, by: str) -> list[dict]:
    """Counts per stage grouped ``by`` "commune", "group" or "year": [{"key", "label", stage: n, "total"}]."""
    english = (get_language() or "").startswith("en")
    fields = {
        "commune": ("commune_id", "commune__name"),
        "group": ("group__code", "group__name_en" if english else "group__name_vi"),  # in the reader's language
        "year": ("year", "year"),
    }
    key, label = fields[by]
    rows = with_stage(queryset).annotate(year=ExtractYear("recorded_on"))
    table: dict = {}
    for row in rows.values(key, label, "stage").annotate(n=Count("pk")).order_by(key):
        entry = table.setdefault(
            row[key],
            {"key": row[key], "label": row[label], **{stage.value: 0 for stage in PIPELINE_STAGES}, "total": 0},
        )
        entry[row["stage"]] += row["n"]
        entry["total"] += row["n"]
    return list(table.values())


def certified_from_pipeline(year: int, queryset=None) -> int:
    """Potential products of ``year``'s pipeline whose application was certified: the plan's new products."""
    return with_stage(queryset).filter(stage=Stage.CERTIFIED, application__certificate__issued_on__year=year).count()


def participation_summary(events) -> list[dict]:
    """Per event: applications, selected participants, sales reported (quantity, revenue) and contacts."""
    selected = Q(participations__status=Participation.Status.SELECTED)
    rows = events.annotate(
        applied=Count("participations", distinct=True), selected=Count("participations", filter=selected, distinct=True)
    )
    sales = {
        event: (quantity, revenue)
        for event, quantity, revenue in EventSale.objects.filter(participation__event__in=events)
        .values("participation__event")
        .annotate(q=Sum("quantity"), r=Sum("revenue"))
        .values_list("participation__event", "q", "r")
    }
    contacts = dict(
        Participation.objects.filter(event__in=events)
        .values("event")
        .annotate(c=Sum("contacts"))
        .values_list("event", "c")
    )
    return [
        {
            "event": event,
            "applied": event.applied,
            "selected": event.selected,
            "quantity": sales.get(event.pk, (0, 0))[0],
            "revenue": sales.get(event.pk, (0, 0))[1],
            "contacts": contacts.get(event.pk) or 0,
        }
        for event in rows
    ]
