from django.utils.translation import gettext_lazy as _

from catalog import roles


class TraceabilityConfig(roles.RolesConfig):
    name = "traceability"
    verbose_name = _("Traceability")
