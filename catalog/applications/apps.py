from django.utils.translation import gettext_lazy as _

from catalog import roles


class ApplicationsConfig(roles.RolesConfig):
    name = "catalog.applications"
    label = "applications"
    verbose_name = _("OCOP applications")
