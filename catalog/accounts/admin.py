"""Read-only lists: ties change through the office's page (one-click suspension), codes through their pages."""

from django.contrib import admin

from ocop.staff_site import ViewOnly

from .models import ProducerTie, TieCode


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    """A list to look at: rows change only through their services."""


@admin.register(ProducerTie)
class ProducerTieAdmin(ReadOnlyAdmin):
    list_display = ["user", "producer", "via", "tied_at", "tied_by", "active", "suspended_at", "suspended_by"]
    list_filter = ["active", "via"]
    search_fields = ["user__username", "producer__name", "producer__registration_number"]


@admin.register(TieCode)
class TieCodeAdmin(ReadOnlyAdmin):
    # Never the code's hash or the pending password hash.
    list_display = [
        "producer",
        "username",
        "channel",
        "sent_to",
        "sends",
        "attempts",
        "created_at",
        "locked_at",
        "used_at",
    ]
    list_filter = ["channel"]
    fields = list_display
    search_fields = ["producer__name", "username"]
