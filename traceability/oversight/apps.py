from django.utils.translation import gettext_lazy as _

from catalog import roles


class OversightConfig(roles.RolesConfig):
    name = "traceability.oversight"
    label = "oversight"
    verbose_name = _("Oversight after certification")
