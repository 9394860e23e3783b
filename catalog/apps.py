from django.utils.translation import gettext_lazy as _

from catalog import roles


class CatalogConfig(roles.RolesConfig):
    name = "catalog"
    verbose_name = _("OCOP certification registry")
