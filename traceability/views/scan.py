"""The scan page's one form post (the page and the GS1 resolver themselves are in ``traceability.resolver``)."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from .. import services


@require_POST
def scan_location(request):
    """The visitor agreed (on the scan page, through the browser's prompt) to share an approximate location."""
    services.record_location(
        ref=request.POST.get("ref", ""), latitude=request.POST.get("lat"), longitude=request.POST.get("lon")
    )
    return HttpResponse(status=204)
