from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "storefront"
    verbose_name = _("Storefront")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import permissions
        from .search import index

        index.connect()
        # After catalog's own handler (apps are migrated in INSTALLED_APPS order), so the groups exist.
        post_migrate.connect(permissions.ensure_roles, sender=self, dispatch_uid="storefront.ensure_roles")
