from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("OCOP certification registry")

    def ready(self):
        from .permissions import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="catalog.ensure_roles")
