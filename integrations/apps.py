from django.utils.translation import gettext_lazy as _

from catalog import roles


class IntegrationsConfig(roles.RolesConfig):
    name = "integrations"
    verbose_name = _("Integrations")
    permissions_module = "salespoints.permissions"

    def ready(self):
        super().ready()

        from catalog.events import CERTIFICATE_STATUS_CHANGED
        from ocop.outbox import services as outbox
        from traceability import sales_points, where_to_buy

        from . import events, handlers
        from .salespoints import querysets
        from .salespoints.directory import PointDirectory

        where_to_buy.register(lambda product: querysets.sales_points_stocking(product)[:5])

        from storefront.portal import home as portal_home

        from .dashboards import producer_tables

        portal_home.register_dashboard(producer_tables)
        sales_points.register(PointDirectory())

        outbox.subscribe(
            CERTIFICATE_STATUS_CHANGED, events.FAN_OUT_TO_DESTINATIONS, handlers.on_certificate_status_changed
        )
        # Assortments shrink in the same transaction as the revocation (a projection, not a delivery).
        outbox.project(
            CERTIFICATE_STATUS_CHANGED, events.UPDATE_SALES_POINTS, handlers.on_certificate_status_changed_for_points
        )
        outbox.subscribe(events.DESTINATION_SYNC, events.PUSH_TO_DESTINATION, handlers.on_destination_sync)
        outbox.subscribe(events.SALES_POINT_CHANGED, events.PUSH_SALES_POINT_WEBHOOK, handlers.on_sales_point_changed)

        from ocop import encryption

        from .crypto import KEYRING

        # Columns `manage.py reencrypt_secrets` moves to the current key after a rotation.
        for model, column in (
            ("integrations.Destination", "credentials_encrypted"),
            ("integrations.Destination", "tokens_encrypted"),
            ("integrations.SalesPoint", "webhook_secret_encrypted"),
        ):
            encryption.register(model, column, KEYRING)

        from storefront.events import LISTING_CHANGE_APPLIED

        outbox.subscribe(LISTING_CHANGE_APPLIED, events.APPLY_LISTING_CHANGE, handlers.on_listing_change_applied)
