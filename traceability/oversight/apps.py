from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "traceability.oversight"
    label = "oversight"
    verbose_name = _("Oversight after certification")

    def ready(self):
        from .permissions import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="oversight.ensure_roles")
