"""First start in production: make sure our app is installed in the configured Saleor, set up, and synced.

Idempotent; ``deploy/`` runs it on every release. Environment: ``SALEOR_API_URL``, ``PUBLIC_BASE_URL`` (Saleor
fetches our manifest and POSTs the app token there) and a staff credential with MANAGE_APPS:
``SALEOR_STAFF_TOKEN``, or ``SALEOR_STAFF_EMAIL`` + ``SALEOR_STAFF_PASSWORD``.

- Installed and our token works: ensure the setup, queue (or with ``--sync-now`` run) the full catalog sync.
- Installed in Saleor but we have no working token (database restored, key rotated): a new app token is
  created for our app with the staff credential and stored, then as above.
- Not installed: ``appInstall`` with our manifest URL; wait for Saleor's token exchange to land (the web
  process stores the instance), then as above. The install queues the first full sync by itself.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from ocop.links import public_url

from ... import documents as doc
from ... import services, tasks, views
from ...client import SaleorClient, SaleorError
from ...models import SaleorInstance


class Command(BaseCommand):
    help = "Install the OCOP app in the configured Saleor if needed, then set it up and sync the catalog."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=120.0, help="Seconds to wait for the token exchange.")
        parser.add_argument("--sync-now", action="store_true", help="Run the full sync here instead of queueing it.")

    def handle(self, *args, timeout: float, sync_now: bool, **options):
        api_url = services.configured_api_url()
        if not api_url:
            raise CommandError("SALEOR_API_URL is not set: no Saleor to register with.")
        try:
            instance, how = self._installed_instance(api_url, timeout)
            self.stdout.write(f"Saleor app {how} for {api_url} (app {instance.app_id}).")
            setup = services.ensure_setup(instance)
            channels = ", ".join(c["slug"] for c in setup["channels"])
            self.stdout.write(f"Setup done: channels {channels}, product type {setup['product_type']}.")
            if sync_now:
                report = services.full_sync(instance=instance)
                self.stdout.write(
                    f"Full sync: {report.checked} checked, {len(report.fixes)} created/unpublished, "
                    f"{len(report.errors)} errors."
                )
                if report.errors:
                    raise CommandError(f"The full sync reported errors: {report.errors[:5]}")
            elif how == "already installed":
                tasks.full_sync.delay(instance.pk)
                self.stdout.write("Full sync queued.")
            else:  # storing a new token (services.install) already queued the full sync
                self.stdout.write("Full sync queued by the install.")
        except (SaleorError, services.SetupError, services.InstallRefused) as exc:
            raise CommandError(str(exc)) from exc

    # --- steps ---------------------------------------------------------------------------------------

    def _installed_instance(self, api_url: str, timeout: float) -> tuple[SaleorInstance, str]:
        instance = SaleorInstance.objects.filter(api_url=api_url, is_active=True).first()
        if instance is not None and _token_works(instance):
            return instance, "already installed"
        staff = _staff_client(api_url)
        ours = [
            e["node"]
            for e in staff.execute(doc.APPS, {"search": ""})["apps"]["edges"]
            if e["node"]["identifier"] == views.APP_ID
        ]
        if ours:
            app = ours[0]
            if not app["isActive"]:
                staff.mutate(doc.APP_ACTIVATE, {"id": app["id"]})
            token = staff.mutate(doc.APP_TOKEN_CREATE, {"input": {"app": app["id"], "name": "saleor_app_register"}})[
                "authToken"
            ]
            return services.install(api_url=api_url, domain="", auth_token=token), "re-linked with a new token"
        manifest_url = public_url(reverse("saleor_app:manifest"))
        staff.mutate(
            doc.APP_INSTALL,
            {
                "input": {
                    "appName": "OCOP Đắk Lắk",
                    "manifestUrl": manifest_url,
                    "permissions": views.PERMISSIONS,
                    "activateAfterInstallation": True,
                }
            },
        )
        self.stdout.write(f"appInstall sent with {manifest_url}; waiting for Saleor's token exchange…")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            instance = SaleorInstance.objects.filter(api_url=api_url, is_active=True).first()
            if instance is not None and _token_works(instance):
                return instance, "installed"
            failed = [
                i
                for i in staff.execute(doc.APP_INSTALLATIONS)["appsInstallations"]
                if i["manifestUrl"] == manifest_url and i["status"] == "FAILED"
            ]
            if failed:
                raise CommandError(f"Saleor could not install the app: {failed[-1]['message']}")
            time.sleep(1.0)
        raise CommandError(f"Saleor did not deliver the app token within {timeout:.0f} s: can it reach {manifest_url}?")


def _token_works(instance: SaleorInstance) -> bool:
    try:
        return bool(services.client_for(instance).execute(doc.APP).get("app"))
    except SaleorError:
        return False


def _staff_client(api_url: str) -> SaleorClient:
    token = os.environ.get("SALEOR_STAFF_TOKEN", "")
    if token:
        return SaleorClient(api_url, token)
    email, password = os.environ.get("SALEOR_STAFF_EMAIL", ""), os.environ.get("SALEOR_STAFF_PASSWORD", "")
    if not (email and password):
        raise CommandError("Set SALEOR_STAFF_TOKEN, or SALEOR_STAFF_EMAIL and SALEOR_STAFF_PASSWORD.")
    client = SaleorClient(api_url)
    client.token = client.mutate(doc.STAFF_LOGIN, {"email": email, "password": password})["token"]
    return client
