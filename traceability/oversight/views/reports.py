"""The public report form, the office's triage of reports and the province's figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from catalog.forms import apply_validation_error
from catalog.models import Certificate, Product
from catalog.querysets import local_today
from ocop.client import client_address
from ocop.files import private

from .. import abuse, history, permissions, services
from ..forms import (
    AssignForm,
    ProposalForm,
    ReportForm,
    StatusForm,
    TextForm,
)
from ..models import Report, RevocationProposal
from ..uploads import clean_text
from .access import staff

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


@staff(permissions.sees_province_figures)
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


@staff(permissions.may_triage)
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


@staff(permissions.may_triage)
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


@staff(permissions.may_triage)
def report_photo(request, pk: int):
    report_obj = get_object_or_404(Report, pk=pk)
    if not report_obj.photo:
        raise Http404
    return private.serve(report_obj.photo, content_type=report_obj.photo_type or "image/jpeg", inline=True)
