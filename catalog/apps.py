from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("OCOP certification registry")

    def ready(self):
        from . import events, mail
        from .permissions import ensure_roles

        events.subscribe(mail.SEND_MAIL, mail.SMTP_SUBSCRIBER, mail.deliver)
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="catalog.ensure_roles")
