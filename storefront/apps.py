from django.utils.translation import gettext_lazy as _

from catalog import roles


class StorefrontConfig(roles.RolesConfig):
    name = "storefront"
    verbose_name = _("Storefront")

    def ready(self):
        super().ready()

        from .search import index

        index.connect()
