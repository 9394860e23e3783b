"""Read side: a product's whole history in time order, its counterfeit signals, and the province's figures."""

import dataclasses
import datetime
from collections import Counter, defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import events
from catalog.models import AuditLogEntry, Certificate, CertificationDecision, Evaluation, PreAssessment
from catalog.querysets import local_today
from ocop.outbox.models import OutboxEvent
from traceability.models import SerialFlag

from .models import Correction, Inspection, InspectionPlan, Report, RevocationProposal


@dataclasses.dataclass
class Entry:
    at: datetime.datetime
    kind: str
    label: str
    text: str
    link: str = ""


def _at(value) -> datetime.datetime:
    """Dates sort at the start of their day (local time), before anything that happened during that day."""
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


LISTING_STATUS = {
    "certified": _("certified"),
    "superseded": _("superseded"),
    "expired": _("expired"),
    "revoked": _("revoked"),
}


def product_history(product, *, show_report_text: bool) -> list[Entry]:
    """Evaluations, decisions and certificates, inspections, corrections, reports, scan flags, revocation
    proposals and listing changes of one product, oldest first."""
    entries: list[Entry] = []
    for assessment in PreAssessment.objects.filter(product=product):
        entries.append(
            Entry(
                _at(assessment.assessed_on),
                "pre_assessment",
                gettext("Commune pre-assessment"),
                gettext("passed") if assessment.passed else gettext("not passed"),
            )
        )
    for evaluation in Evaluation.objects.filter(product=product):
        entries.append(
            Entry(
                _at(evaluation.evaluated_on),
                "evaluation",
                gettext("Evaluation"),
                (
                    f"{evaluation.get_level_display()}: {evaluation.total} — {evaluation.stars}★ {evaluation.council}"
                ).strip(),
            )
        )
    for certificate in Certificate.objects.filter(product=product).select_related("decision"):
        entries.append(
            Entry(
                _at(certificate.issued_on),
                "certificate",
                gettext("Certificate issued"),
                f"{certificate.stars}★ — {certificate.decision.number} ({certificate.decision.authority_name}), "
                + gettext("valid until %(date)s") % {"date": certificate.valid_until.strftime("%d/%m/%Y")},
            )
        )
    revocations = CertificationDecision.objects.filter(
        kind=CertificationDecision.Kind.REVOCATION, revoked_certificates__product=product
    ).distinct()
    for decision in revocations:
        entries.append(
            Entry(
                _at(decision.signed_on),
                "revocation",
                gettext("Revocation decision"),
                f"{decision.number} ({decision.authority_name}): {decision.reason}",
            )
        )
    for inspection in Inspection.objects.for_product(product):
        entries.append(
            Entry(
                _at(inspection.inspected_on),
                "inspection",
                gettext("Inspection (%(kind)s)") % {"kind": inspection.get_kind_display()},
                f"{inspection.get_outcome_display()}. {inspection.findings}".strip(),
                reverse("oversight:inspection", args=[inspection.pk]),
            )
        )
    today = local_today()
    for correction in Correction.objects.filter(inspection__in=Inspection.objects.for_product(product)):
        if correction.completed_on:
            state = gettext("completed on %(date)s") % {"date": correction.completed_on.strftime("%d/%m/%Y")}
        else:
            state = gettext("OVERDUE") if correction.is_overdue(today) else gettext("open")
        entries.append(
            Entry(
                _at(correction.due_on),
                "correction",
                gettext("Correction deadline"),
                f"{correction.description} — {state}",
                reverse("oversight:inspection", args=[correction.inspection_id]),
            )
        )
    for report in Report.objects.filter(product=product):
        text = f"{report.get_kind_display()} — {report.get_status_display()}"
        if show_report_text:
            text += f": {report.text[:300]}"
        label = gettext("Consumer report %(ref)s") % {"ref": report.reference}
        link = reverse("oversight:report", args=[report.pk]) if show_report_text else ""
        entries.append(Entry(report.created_at, "report", label, text, link))
    for flag in SerialFlag.objects.filter(item__lot__product=product).select_related("item__lot"):
        entries.append(
            Entry(
                flag.flagged_at,
                "scan_flag",
                gettext("Scan flag"),
                f"{flag.item.serial} ({flag.item.lot.number}): {flag.get_reason_display()} {flag.detail}",
            )
        )
    for proposal in RevocationProposal.objects.filter(product=product):
        entries.append(
            Entry(
                proposal.proposed_at,
                "proposal",
                gettext("Revocation proposal"),
                f"{proposal.get_cause_display()} — {proposal.get_status_display()}: {proposal.reason}",
                reverse("oversight:proposal", args=[proposal.pk]) if show_report_text else "",
            )
        )
        if proposal.reviewed_at:
            entries.append(
                Entry(
                    proposal.reviewed_at,
                    "proposal",
                    gettext("Revocation proposal reviewed"),
                    f"{proposal.get_status_display()} {proposal.review_note}".strip(),
                    reverse("oversight:proposal", args=[proposal.pk]) if show_report_text else "",
                )
            )
    for event in OutboxEvent.objects.filter(topic=events.CERTIFICATE_STATUS_CHANGED, key=str(product.pk)):
        payload = event.payload
        listed = gettext("listed") if payload.get("listable") else gettext("not listed")
        status = LISTING_STATUS.get(payload.get("status"), payload.get("status", ""))
        entries.append(
            Entry(
                event.created_at,
                "listing",
                gettext("Listing changed"),
                f"{status}: {listed} ({payload.get('decision_number') or '—'})",
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return entries


def product_audit(product):
    """The registry's audit trail of the product itself (edits by staff)."""
    return AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(product), object_id=str(product.pk)
    ).order_by("at", "pk")


@dataclasses.dataclass
class Signals:
    product_id: int
    confirmed_counterfeit: int
    scan_flags: int
    open_scan_flags: int


def counterfeit_signals(products=None) -> list[Signals]:
    """Per product: confirmed counterfeit reports and traceability's scan flags, side by side."""
    reports = Report.objects.filter(kind=Report.Kind.COUNTERFEIT, status=Report.Status.CONFIRMED, product__isnull=False)
    flags = SerialFlag.objects.all()
    if products is not None:
        reports = reports.filter(product__in=products)
        flags = flags.filter(item__lot__product__in=products)
    by_product: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in reports.values("product_id").annotate(n=Count("pk")):
        by_product[row["product_id"]][0] = row["n"]
    for row in flags.values("item__lot__product_id").annotate(
        n=Count("pk"), open=Count("pk", filter=Q(reviewed=False))
    ):
        by_product[row["item__lot__product_id"]][1:] = [row["n"], row["open"]]
    return sorted(
        (Signals(pid, *values) for pid, values in by_product.items()),
        key=lambda s: (-(s.confirmed_counterfeit + s.open_scan_flags), s.product_id),
    )


def province_figures(year: int, today: datetime.date | None = None) -> dict:
    today = today or local_today()
    reports = Report.objects.filter(created_at__year=year)
    by_type = {kind: Counter() for kind in Report.Kind.values}
    for row in reports.values("kind", "status").annotate(n=Count("pk")):
        by_type[row["kind"]][row["status"]] = row["n"]
    inspections = Inspection.objects.filter(inspected_on__year=year)
    plan = InspectionPlan.objects.filter(year=year).first()
    planned_done = inspections.filter(kind=Inspection.Kind.PLANNED).count()
    proposals = RevocationProposal.objects.filter(
        status=RevocationProposal.Status.APPROVED, decision__signed_on__year=year
    )
    by_cause = Counter(dict(proposals.values_list("cause").annotate(n=Count("pk"))))
    revoked = Certificate.objects.filter(revocation__signed_on__year=year)
    through_proposals = set(proposals.values_list("certificate_id", flat=True))
    direct = revoked.exclude(pk__in=through_proposals).count()
    return {
        "year": year,
        "reports_by_type": [
            {
                "kind": label,
                "total": sum(by_type[kind].values()),
                **{status: by_type[kind][status] for status in Report.Status.values},
            }
            for kind, label in Report.Kind.choices
        ],
        "statuses": Report.Status.choices,
        "reports_total": reports.count(),
        "planned_target": plan.planned_inspections if plan else None,
        "planned_done": planned_done,
        "planned_share": round(100 * planned_done / plan.planned_inspections)
        if plan and plan.planned_inspections
        else None,
        "unplanned_done": inspections.filter(kind=Inspection.Kind.UNPLANNED).count(),
        "inspections_failed": inspections.filter(outcome=Inspection.Outcome.FAILED).count(),
        "corrections_overdue": Correction.objects.overdue(today).count(),
        "overdue": list(Correction.objects.overdue(today).select_related("inspection__producer")[:50]),
        "revocations_by_cause": [
            {"cause": label, "count": by_cause.get(cause, 0)} for cause, label in RevocationProposal.Cause.choices
        ]
        + [{"cause": gettext("Recorded directly in the registry (e.g. not re-evaluated in time)"), "count": direct}],
    }
