"""The programme's public pages in the store: upcoming events, an event's page with the producers and products
taking part, and an iCalendar feed of public events. Only announced events are shown (``querysets.public_events``),
and of their participants only those the office selected, with listable products.
"""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from catalog.models import Product
from catalog.programme.models import Participation
from catalog.programme.querysets import public_events
from ocop.links import public_url

#: How many events the feed and the list show at most.
MAX_EVENTS = 200


@require_GET
def event_list(request):
    return render(request, "storefront/events/list.html", {"events": public_events()[:MAX_EVENTS]})


@require_GET
def event_detail(request, pk: int):
    event = public_events().filter(pk=pk).first()
    if event is None:
        raise Http404
    participants = (
        Participation.objects.filter(event=event, status=Participation.Status.SELECTED)
        .select_related("producer__commune")
        .order_by("booth", "producer__name")
    )
    listable = Product.objects.listable()
    rows = [(participant, [p for p in participant.products.all() if p in listable]) for participant in participants]
    return render(request, "storefront/events/detail.html", {"event": event, "participants": rows})


@require_GET
def calendar(request):
    """The public events as iCalendar (RFC 5545), in the language of the request."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    language = translation.get_language()
    calendar = Calendar()
    calendar.add("prodid", "-//OCOP Dak Lak//Events//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "OCOP Đắk Lắk")
    for event in public_events()[:MAX_EVENTS]:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@ocop-daklak")
        entry.add("summary", event.name_in(language))
        entry.add("dtstart", event.starts_on)
        entry.add("dtend", event.ends_on + datetime.timedelta(days=1))  # all-day: the end is exclusive
        entry.add("dtstamp", event.updated_at)
        entry.add("location", event.place)
        if event.latitude is not None and event.longitude is not None:
            entry.add("geo", (float(event.latitude), float(event.longitude)))
        entry.add("description", event.description_in(language))
        entry.add("x-ocop-organiser", event.organiser)
        entry.add("url", public_url(reverse("storefront:event", args=[event.pk])))
        calendar.add_component(entry)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ocop-daklak-events.ics"'
    patch_cache_control(response, max_age=300, public=True)
    return response
