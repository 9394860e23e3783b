from django.utils.translation import gettext_lazy as _

from catalog import roles


class AccountsConfig(roles.RolesConfig):
    name = "catalog.accounts"
    label = "accounts"
    verbose_name = _("Producer accounts")

    def ready(self):
        super().ready()
        from ocop.outbox import services as outbox

        from . import (
            notices,  # noqa: F401 - defines the notice keys
            services,
        )

        outbox.subscribe(services.SEND_TIE_CODE, services.CODE_SUBSCRIBER, services.deliver_code)
