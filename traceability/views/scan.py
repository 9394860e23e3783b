"""The scan page's one form post (the page and the GS1 resolver themselves are in ``traceability.resolver``)."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import services


@csrf_exempt
@require_POST
def scan_location(request):
    """The visitor agreed (on the scan page, through the browser's prompt) to share an approximate location.

    No CSRF token: the post acts on no session or account (a forged one could only have been sent by anyone
    directly), and what it names, the scan's ``ref``, is 128 random bits that only the scan page carries. The scan
    page thus needs no token and no CSRF cookie (it is the platform's hottest page)."""
    services.record_location(
        ref=request.POST.get("ref", ""), latitude=request.POST.get("lat"), longitude=request.POST.get("lon")
    )
    return HttpResponse(status=204)
