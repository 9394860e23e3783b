from django.utils.translation import gettext_lazy as _

from catalog import roles


class ProgrammeConfig(roles.RolesConfig):
    name = "catalog.programme"
    label = "programme"
    verbose_name = _("OCOP programme: events, pipeline and reports")

    def ready(self):
        super().ready()
        from . import notices  # noqa: F401 - registers the notices' message keys
