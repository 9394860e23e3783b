from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "catalog.programme"
    label = "programme"
    verbose_name = _("OCOP programme: events, pipeline and reports")

    def ready(self):
        from . import notices  # noqa: F401 - registers the notices' message keys
        from .permissions import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="programme.ensure_roles")
