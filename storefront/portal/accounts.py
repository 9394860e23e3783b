"""Pages of self-registration (with the one-time code) and the OCOP office's page of account ties.

Thin: parse the form, call one service, turn its refusal into a message. The code request is bound to the
browser session that made it; the public forms are throttled per client and per account (``ocop.throttle``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from catalog.accounts import services
from catalog.accounts.forms import CodeForm, SelfRegistrationForm
from catalog.accounts.models import ProducerTie, TieCode
from catalog.applications import services as applications
from catalog.forms import apply_validation_error
from ocop.throttle import throttled

from .access import LOGIN_URL, staff_page

SESSION_KEY = "accounts.tie_code"


def _registration_number(request) -> str:
    return request.POST.get("registration_number", "").strip().upper()[:32]


def _session_code_request(request) -> TieCode | None:
    pk = request.session.get(SESSION_KEY)
    return TieCode.objects.select_related("producer").filter(pk=pk).first() if pk else None


def _code_request_key(request) -> str:
    return str(request.session.get(SESSION_KEY, ""))


@require_http_methods(["GET", "POST"])
@throttled("accounts.register", account=_registration_number)
def register(request):
    form = SelfRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = applications.register_producer_account(
                language=translation.get_language() or "vi", **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if isinstance(outcome, TieCode):
                request.session[SESSION_KEY] = outcome.pk
                return redirect("applications:register_code")
            messages.info(
                request,
                gettext("This registration number is not in the registry: your request waits for the OCOP office."),
            )
            return redirect(LOGIN_URL)
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
@throttled("accounts.code", account=_code_request_key)
def enter_code(request):
    challenge = _session_code_request(request)
    if challenge is None:
        return redirect("applications:register")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_code(challenge=challenge, code=form.cleaned_data["code"])
        except ValidationError as error:
            apply_validation_error(form, error)
            challenge.refresh_from_db()
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, gettext("Your account is ready: sign in."))
            return redirect(LOGIN_URL)
    return render(request, "accounts/enter_code.html", {"form": form, "challenge": challenge})


@require_POST
@throttled("accounts.code", account=_code_request_key)
def resend_code(request):
    challenge = _session_code_request(request)
    if challenge is None:
        return redirect("applications:register")
    try:
        services.resend_code(challenge=challenge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("A new code is on its way."))
    return redirect("applications:register_code")


#: The office's page of account ties (and suspending one).
_office_page = staff_page(services.may_suspend)


@_office_page
def account_ties(request):
    """The office's list of ties, newest first; the young ones are marked."""
    ties = ProducerTie.objects.select_related("user", "producer", "tied_by", "suspended_by")[:300]
    now = timezone.now()
    rows = [(tie, tie.active and services.is_young(max(tie.user.date_joined, tie.tied_at), now=now)) for tie in ties]
    return render(request, "accounts/ties.html", {"rows": rows})


@_office_page
@require_POST
def suspend(request, pk):
    tie = get_object_or_404(ProducerTie, pk=pk)
    try:
        services.suspend_tie(tie=tie, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The account “%(username)s” no longer acts for %(producer)s.")
            % {"username": tie.user.get_username(), "producer": tie.producer.name},
        )
    return redirect("applications:account_ties")
