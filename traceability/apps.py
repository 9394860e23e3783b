from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceabilityConfig(AppConfig):
    name = "traceability"
    verbose_name = _("Traceability")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import permissions

        # After catalog's own handler (apps are migrated in INSTALLED_APPS order), so the groups exist.
        post_migrate.connect(permissions.ensure_roles, sender=self, dispatch_uid="traceability.ensure_roles")
