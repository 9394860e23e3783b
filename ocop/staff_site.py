"""Building blocks of the staff site (``/admin/``) shared by every app: rows that only their services change.

Mix ``NoAdding``, ``NoChanging``, ``NoDeleting`` into a ``ModelAdmin`` (before it in the bases) for what its rows
refuse; ``ViewOnly`` refuses all three. ``ShownInline`` is an inline list of rows shown, never edited there.
"""

from django.contrib import admin


class NoAdding:
    def has_add_permission(self, request, obj=None):
        return False


class NoChanging:
    def has_change_permission(self, request, obj=None):
        return False


class NoDeleting:
    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnly(NoAdding, NoChanging, NoDeleting):
    """A list to look at: the rows change only through their services."""


class ShownInline(NoAdding, admin.TabularInline):
    """Rows shown inside another object's page, read-only (every listed field), never added or deleted there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or super().get_readonly_fields(request, obj)
