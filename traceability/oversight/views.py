"""Pages of oversight: the public report form, and the staff pages (reports, inspections, proposals, history,
figures). Thin: parse the form, find the object within the user's scope (404 outside it), call one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from catalog.forms import apply_validation_error
from catalog.models import Certificate, Product
from catalog.querysets import local_today
from ocop.access import signed_in_and
from ocop.client import client_address
from ocop.files import private
from ocop.service_messages import message_of

from . import abuse, history, permissions, services
from .forms import (
    AssignForm,
    CorrectionForm,
    EvidenceForm,
    FollowUpForm,
    InspectionForm,
    ProposalForm,
    ReportForm,
    ReviewForm,
    StatusForm,
    TextForm,
)
from .models import Correction, Inspection, InspectionEvidence, Report, RevocationProposal
from .uploads import clean_text

LOGIN_URL = "applications:login"

# --- Public report form -------------------------------------------------------------------------------


def _report_context(request) -> dict:
    """What the page knows from where the visitor came from: a scanned code or a product page.

    The page is public, so it names only what the public may see: the product of a serial we issued (as its
    scan page does), or else a listable product; a draft's or an unlisted product's id or GTIN names nothing.
    """
    source = request.POST if request.method == "POST" else request.GET
    code = clean_text(source.get("code", ""))[:64]
    path = clean_text(source.get("path", ""))[:255]
    product = None
    if code or path:
        product, lot, item = services.resolve_code(code=code, scanned_path=path)
        if item is None and product is not None and not product.is_listable():
            product = None
    else:
        lot = item = None
        product = ReportForm.listable_product(source.get("product", ""))
    return {"code": code, "path": path, "product": product, "lot": lot, "item": item}


@require_http_methods(["GET", "POST"])
def report(request):
    context = _report_context(request)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        address = client_address(request)
        limited = abuse.is_limited(address)
        valid = not limited and form.is_valid()
        if limited or (valid and abuse.count(address, abuse.VALID)):
            form.is_valid()  # show what was typed, with the reason it was not accepted
            form.set_challenge(abuse.new_challenge())
            context["rate_limited"] = True
            status = 429
        elif valid:
            created = _store(request, form)
            if created is not None:
                return redirect(reverse("oversight:report_sent") + f"?ref={created.reference}")
        else:
            abuse.count(address, abuse.FAILED)
            problem = form.challenge_problem
            if problem not in (None, abuse.ChallengeProblem.TOO_FAST):
                form.set_challenge(abuse.new_challenge())
    else:
        initial = {"code": context["code"], "path": context["path"]}
        if context["product"] is not None and not (context["code"] or context["path"]):
            initial["product"] = str(context["product"].pk)
        if (context["code"] or context["path"]) and context["item"] is None:
            initial["kind"] = Report.Kind.UNKNOWN_CODE
        form = ReportForm(initial=initial, challenge=abuse.new_challenge())
    if form.current_challenge is None:
        form.set_challenge(abuse.new_challenge())
    context["form"] = form
    context["challenge"] = form.current_challenge
    return render(request, "oversight/report_form.html", context, status=status)


def _store(request, form: ReportForm) -> Report | None:
    data = form.cleaned_data
    challenge = form.current_challenge
    report_obj, _created = services.submit_report(
        kind=data["kind"],
        text=data["text"],
        language=data["language"],
        submission_key=challenge.nonce,
        code=data.get("code", ""),
        scanned_path=data.get("path", ""),
        product=data.get("product"),
        photo=data.get("photo"),
        photo_check=getattr(form, "photo_check", None),
        contact_email=data.get("contact_email") or "",
        contact_phone=data.get("contact_phone") or "",
        sender=abuse.sender_hash(client_address(request)),
    )
    return report_obj


def report_sent(request):
    reference = "".join(c for c in request.GET.get("ref", "") if c in services.REFERENCE_ALPHABET)[:8]
    return render(request, "oversight/report_sent.html", {"reference": reference})


# --- Staff pages --------------------------------------------------------------------------------------


def _staff(check):
    """Signed-in users for whom ``check(user)`` holds; others get 403."""
    return signed_in_and(check, login_url=LOGIN_URL)


def _sees_inspections(user) -> bool:
    return bool(user.is_active and user.has_perm("oversight.view_inspection"))


@_staff(permissions.sees_province_figures)
def dashboard(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = local_today().year
    year = min(max(year, 2000), 2100)
    signals = history.counterfeit_signals()[:50]
    products = Product.objects.in_bulk([s.product_id for s in signals])
    context = {
        "figures": history.province_figures(year),
        "signals": [(products.get(s.product_id), s) for s in signals],
        "open_reports": Report.objects.exclude(status__in=[Report.Status.CONFIRMED, Report.Status.DISMISSED]).count(),
        "proposals": RevocationProposal.objects.filter(status=RevocationProposal.Status.PROPOSED).select_related(
            "product"
        ),
        "may_triage": permissions.may_triage(request.user),
    }
    return render(request, "oversight/dashboard.html", context)


@_staff(permissions.may_triage)
def report_list(request):
    reports = Report.objects.select_related("product", "assigned_to")
    status = request.GET.get("status", "")
    if status in Report.Status.values:
        reports = reports.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Report.Kind.values:
        reports = reports.filter(kind=kind)
    if request.GET.get("mine"):
        reports = reports.filter(assigned_to=request.user)
    return render(
        request,
        "oversight/report_list.html",
        {
            "reports": reports[:200],
            "statuses": Report.Status.choices,
            "kinds": Report.Kind.choices,
            "status": status,
            "kind": kind,
        },
    )


@_staff(permissions.may_triage)
@require_http_methods(["GET", "POST"])
def report_detail(request, pk: int):
    report_obj = get_object_or_404(Report.objects.select_related("product", "lot", "item", "assigned_to"), pk=pk)
    forms_by_action = {
        "status": StatusForm(report=report_obj),
        "assign": AssignForm(initial={"assignee": report_obj.assigned_to}),
        "answer": TextForm(),
        "note": TextForm(),
        "propose": ProposalForm(initial=_proposal_initial(report_obj.product)),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in forms_by_action:
            raise Http404
        form = (
            StatusForm(request.POST, report=report_obj)
            if action == "status"
            else type(forms_by_action[action])(request.POST)
        )
        forms_by_action[action] = form
        if form.is_valid():
            try:
                done = _report_action(request, report_obj, action, form)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, gettext("Saved."))
                return redirect(done)
    context = {
        "report": report_obj,
        "events": report_obj.events.select_related("actor", "assigned_to"),
        "forms": forms_by_action,
        "show_contact": permissions.may_see_contact(request.user),
        "proposals": report_obj.revocation_proposals.all(),
    }
    return render(request, "oversight/report_detail.html", context)


def _report_action(request, report_obj: Report, action: str, form) -> str:
    data = form.cleaned_data
    user = request.user
    if action == "status":
        services.change_status(report=report_obj, status=data["status"], note=data["note"], actor=user)
    elif action == "assign":
        services.assign(report=report_obj, assignee=data["assignee"], actor=user)
    elif action == "answer":
        services.answer_reporter(report=report_obj, text=data["text"], actor=user)
    elif action == "note":
        services.add_note(report=report_obj, text=data["text"], actor=user)
    elif action == "propose":
        if report_obj.product is None:
            raise ValidationError(gettext("This report is not tied to a product."))
        proposal = services.propose_revocation(product=report_obj.product, report=report_obj, actor=user, **data)
        return reverse("oversight:proposal", args=[proposal.pk])
    return reverse("oversight:report", args=[report_obj.pk])


def _proposal_initial(product) -> dict:
    if product is None:
        return {}
    certificate = (
        Certificate.objects.filter(product=product, status=Certificate.Status.ACTIVE).select_related("decision").first()
    )
    if certificate is None:
        return {}
    return {
        "authority_level": certificate.decision.authority_level,
        "authority_name": certificate.decision.authority_name,
    }


@_staff(permissions.may_triage)
def report_photo(request, pk: int):
    report_obj = get_object_or_404(Report, pk=pk)
    if not report_obj.photo:
        raise Http404
    return private.serve(report_obj.photo, content_type=report_obj.photo_type or "image/jpeg", inline=True)


@_staff(_sees_inspections)
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


@_staff(permissions.may_record_inspections)
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


@_staff(_sees_inspections)
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


@_staff(_sees_inspections)
def evidence_file(request, pk: int):
    evidence = get_object_or_404(InspectionEvidence, pk=pk)
    if not permissions.inspections_for(Inspection.objects.filter(pk=evidence.inspection_id), request.user).exists():
        raise Http404
    return private.serve(evidence.file, content_type=evidence.content_type, filename=evidence.original_name)


@_staff(lambda user: user.is_active and user.has_perm("oversight.view_revocationproposal"))
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


@_staff(_sees_inspections)
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
