"""The OCOP office's page of held jobs (young accounts' label sheets and large serial requests): approve or refuse.

Thin: check the permission, call one service, show its refusal as a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from catalog.accounts import services as accounts
from traceability import approvals

LOGIN_URL = "applications:login"


def _office(request) -> None:
    if not approvals.may_approve(request.user):
        raise PermissionDenied


@login_required(login_url=LOGIN_URL)
@require_GET
def approval_list(request):
    _office(request)
    rows = [
        (kind, job, accounts.account_since(job.created_by) if job.created_by else None)
        for kind, job in approvals.held_jobs()
    ]
    return render(request, "traceability/approvals.html", {"rows": rows})


@login_required(login_url=LOGIN_URL)
@require_POST
def decide(request, kind: str, job_id: int, decision: str):
    _office(request)
    if kind not in approvals.KINDS or decision not in ("approve", "refuse"):
        raise Http404
    perform = approvals.approve if decision == "approve" else approvals.refuse
    try:
        perform(kind=kind, job_id=job_id, actor=request.user)
    except approvals.KINDS[kind].DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Approved.") if decision == "approve" else gettext("Refused."))
    return redirect("traceability:approvals")
