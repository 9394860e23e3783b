"""Inspections after certification: the list, recording one, its follow-up, evidence, revocation proposals
and a product's history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from catalog.forms import apply_validation_error
from catalog.models import Product
from catalog.querysets import local_today
from ocop.files import private
from ocop.service_messages import message_of

from .. import history, permissions, services
from ..forms import (
    CorrectionForm,
    EvidenceForm,
    FollowUpForm,
    InspectionForm,
    ProposalForm,
    ReviewForm,
)
from ..models import Correction, Inspection, InspectionEvidence, Report, RevocationProposal
from .access import sees_inspections, staff


@staff(sees_inspections)
def inspection_list(request):
    inspections = permissions.inspections_for(Inspection.objects.all(), request.user).select_related("producer")
    return render(
        request,
        "oversight/inspection_list.html",
        {
            "inspections": inspections[:200],
            "overdue": permissions.inspections_for(Inspection.objects.all(), request.user)
            .filter(corrections__in=Correction.objects.overdue())
            .distinct()
            .count(),
            "may_record": permissions.may_record_inspections(request.user),
        },
    )


@staff(permissions.may_record_inspections)
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    report_obj = None
    if request.GET.get("report", "").isdigit():
        report_obj = Report.objects.filter(pk=int(request.GET["report"])).first()
    initial = {"kind": "unplanned" if report_obj else "planned", "inspected_on": local_today()}
    if report_obj and report_obj.product:
        initial.update(producer=report_obj.product.producer, products=[report_obj.product])
    form = InspectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.record_inspection(
                producer=data["producer"],
                products=data["products"],
                kind=data["kind"],
                inspected_on=data["inspected_on"],
                team=data["team"],
                findings=data["findings"],
                outcome=data["outcome"],
                checks=form.checks(),
                report=report_obj,
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("oversight:inspection", pk=inspection.pk)
    return render(request, "oversight/inspection_new.html", {"form": form, "report": report_obj})


@staff(sees_inspections)
@require_http_methods(["GET", "POST"])
def inspection_detail(request, pk: int):
    inspection = get_object_or_404(
        permissions.inspections_for(Inspection.objects.select_related("producer__commune"), request.user), pk=pk
    )
    may_record = permissions.may_record_inspections(request.user)
    forms_by_action = {"evidence": EvidenceForm(), "correction": CorrectionForm(), "propose": None}
    if inspection.outcome == Inspection.Outcome.FAILED and may_record:
        forms_by_action["propose"] = ProposalForm()
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        action = request.POST.get("action", "")
        result = _inspection_action(request, inspection, action, forms_by_action)
        if result is not None:
            return result
    today = local_today()
    corrections = [
        (c, c.is_overdue(today), FollowUpForm(initial={"completed_on": c.completed_on}, prefix=f"c{c.pk}"))
        for c in inspection.corrections.all()
    ]
    products = list(inspection.products.all()) or list(inspection.producer.products.all())
    return render(
        request,
        "oversight/inspection_detail.html",
        {
            "inspection": inspection,
            "checks": inspection.checks.select_related("item"),
            "evidence": inspection.evidence.all(),
            "corrections": corrections,
            "forms": forms_by_action,
            "may_record": may_record,
            "products": products,
            "proposal_products": [p for p in products if p.current_certificate_id],
        },
    )


def _inspection_action(request, inspection, action, forms_by_action):
    user = request.user
    if action == "evidence":
        form = forms_by_action["evidence"] = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            services.add_evidence(
                inspection=inspection,
                upload=form.cleaned_data["file"],
                checked=form.checked,
                description=form.cleaned_data["description"],
                actor=user,
            )
            return redirect("oversight:inspection", pk=inspection.pk)
    elif action == "correction":
        form = forms_by_action["correction"] = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.require_correction(inspection=inspection, actor=user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("oversight:inspection", pk=inspection.pk)
    elif action == "follow_up":
        correction = get_object_or_404(
            Correction,
            pk=request.POST.get("correction", "0") if request.POST.get("correction", "").isdigit() else 0,
            inspection=inspection,
        )
        form = FollowUpForm(request.POST, prefix=f"c{correction.pk}")
        if form.is_valid():
            try:
                services.record_follow_up(correction=correction, actor=user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, message_of(error))
        else:
            messages.error(request, gettext("The follow-up was not saved: check the date."))
        return redirect("oversight:inspection", pk=inspection.pk)
    elif action == "propose" and forms_by_action["propose"] is not None:
        form = forms_by_action["propose"] = ProposalForm(request.POST)
        product = Product.objects.filter(
            pk=request.POST.get("product", "0") if request.POST.get("product", "").isdigit() else 0
        ).first()
        if form.is_valid():
            if product is None:
                form.add_error(None, gettext("Choose the product."))
            else:
                try:
                    proposal = services.propose_revocation(
                        product=product, inspection=inspection, actor=user, **form.cleaned_data
                    )
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    return redirect("oversight:proposal", pk=proposal.pk)
    else:
        raise Http404
    return None


@staff(sees_inspections)
def evidence_file(request, pk: int):
    evidence = get_object_or_404(InspectionEvidence, pk=pk)
    if not permissions.inspections_for(Inspection.objects.filter(pk=evidence.inspection_id), request.user).exists():
        raise Http404
    return private.serve(evidence.file, content_type=evidence.content_type, filename=evidence.original_name)


@staff(lambda user: user.is_active and user.has_perm("oversight.view_revocationproposal"))
@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(
        RevocationProposal.objects.select_related(
            "product", "certificate__decision", "report", "inspection", "decision"
        ),
        pk=pk,
    )
    may_review = permissions.may_review(request.user) and proposal.status == RevocationProposal.Status.PROPOSED
    initial = {
        "number": proposal.decision_number,
        "signed_on": proposal.signed_on,
        "authority_level": proposal.authority_level or proposal.certificate.decision.authority_level,
        "authority_name": proposal.authority_name or proposal.certificate.decision.authority_name,
    }
    form = ReviewForm(initial=initial)
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.review_proposal(
                    proposal=proposal,
                    approve=data["verdict"] == ReviewForm.APPROVE,
                    note=data["note"],
                    number=data["number"],
                    signed_on=data["signed_on"],
                    authority_level=data["authority_level"],
                    authority_name=data["authority_name"],
                    actor=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, gettext("Saved."))
                return redirect("oversight:proposal", pk=proposal.pk)
    return render(
        request, "oversight/proposal_detail.html", {"proposal": proposal, "form": form, "may_review": may_review}
    )


@staff(sees_inspections)
def product_history(request, pk: int):
    product = get_object_or_404(permissions.products_for(request.user).select_related("producer__commune"), pk=pk)
    office = permissions.may_triage(request.user)
    signals = history.counterfeit_signals([product])
    return render(
        request,
        "oversight/product_history.html",
        {
            "product": product,
            "entries": history.product_history(product, show_report_text=office),
            "signals": signals[0] if signals else None,
            "listable": product.is_listable(),
            "office": office,
            "today": local_today(),
        },
    )
