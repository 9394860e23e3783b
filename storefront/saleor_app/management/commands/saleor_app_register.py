"""First start in production: make sure our app is installed in the configured Saleor, set up, and synced.

Idempotent; ``deploy/`` runs it on every release. Environment: ``SALEOR_API_URL``, ``PUBLIC_BASE_URL`` (Saleor
fetches our manifest and POSTs the app token there) and a staff credential with MANAGE_APPS:
``SALEOR_STAFF_TOKEN``, or ``SALEOR_STAFF_EMAIL`` + ``SALEOR_STAFF_PASSWORD``.

- Installed and our token works: bring the app's webhooks in line with the manifest, ensure the setup, queue
  (or with ``--sync-now`` run) the full catalog sync.
- Installed in Saleor but we have no working token (database restored, key lost): a new app token is created
  with the staff credential for our app (the registered one when Saleor still has it) and stored, then as above.
- Not installed: ``appInstall`` with our manifest URL. Saleor POSTs the new app's token to the web process,
  which keeps it pending (an unsigned POST never installs by itself: ``install``); the command accepts it once
  Saleor's staff API shows that it belongs to the app this install created, then as above. The acceptance
  queues the first full sync by itself.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from ocop.links import public_url

from ... import documents as doc
from ... import install, services, tasks
from ...client import SaleorClient, SaleorError
from ...manifest import APP_ID, APP_NAME, PERMISSIONS
from ...models import PendingInstall, SaleorInstance


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
            updated = services.ensure_webhooks(instance)
            if updated:
                self.stdout.write(f"Webhooks brought in line with the manifest: {', '.join(updated)}.")
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
            else:  # storing a new token (install.accept, install.link_token) already queued the full sync
                self.stdout.write("Full sync queued by the install.")
        except (SaleorError, services.SetupError, install.InstallRefused) as exc:
            raise CommandError(str(exc)) from exc

    # --- steps ---------------------------------------------------------------------------------------

    def _installed_instance(self, api_url: str, timeout: float) -> tuple[SaleorInstance, str]:
        instance = SaleorInstance.objects.filter(api_url=api_url, is_active=True).first()
        if instance is not None and install.token_state(instance) is True:
            return instance, "already installed"
        staff = _staff_client(api_url)
        ours = _our_apps(staff)
        if ours:
            registered = [a for a in ours if instance is not None and a["id"] == instance.app_id]
            app = _only_one(registered or ours)
            if not app["isActive"]:
                staff.mutate(doc.APP_ACTIVATE, {"id": app["id"]})
            token = staff.mutate(doc.APP_TOKEN_CREATE, {"input": {"app": app["id"], "name": "saleor_app_register"}})[
                "authToken"
            ]
            return install.link_token(api_url=api_url, auth_token=token, app_id=app["id"]), "re-linked with a new token"
        manifest_url = public_url(reverse("saleor_app:manifest"))
        staff.mutate(
            doc.APP_INSTALL,
            {
                "input": {
                    "appName": APP_NAME,
                    "manifestUrl": manifest_url,
                    "permissions": PERMISSIONS,
                    "activateAfterInstallation": True,
                }
            },
        )
        self.stdout.write(f"appInstall sent with {manifest_url}; waiting for Saleor's token exchange…")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            instance = SaleorInstance.objects.filter(api_url=api_url, is_active=True).first()
            if instance is not None and install.token_state(instance) is True:
                return instance, "installed"
            # The token arrives as a pending install; it is ours when Saleor's staff API shows its app as the one
            # app with our identifier (there was none before appInstall).
            pending = PendingInstall.objects.filter(api_url=api_url)
            if pending.exists():
                installed = _our_apps(staff)
                created = _only_one(installed) if installed else None
                accepted = pending.filter(app_id=created["id"]).first() if created else None
                if accepted is not None:
                    return install.accept(pending=accepted, actor=None, expected_app_id=created["id"]), "installed"
            failed = [
                i
                for i in staff.execute(doc.APP_INSTALLATIONS)["appsInstallations"]
                if i["manifestUrl"] == manifest_url and i["status"] == "FAILED"
            ]
            if failed:
                raise CommandError(f"Saleor could not install the app: {failed[-1]['message']}")
            time.sleep(1.0)
        raise CommandError(f"Saleor did not deliver the app token within {timeout:.0f} s: can it reach {manifest_url}?")


def _our_apps(staff: SaleorClient) -> list[dict]:
    edges = staff.execute(doc.APPS, {"search": ""})["apps"]["edges"]
    return [edge["node"] for edge in edges if edge["node"]["identifier"] == APP_ID]


def _only_one(apps: list[dict]) -> dict:
    """Several apps with our identifier: someone created one by hand; the operator must say which is ours."""
    if len(apps) > 1:
        raise CommandError(
            f"Saleor has {len(apps)} apps with the identifier {APP_ID} ({', '.join(a['id'] for a in apps)}): delete "
            "those you did not install, or accept the right one in the admin (pending Saleor app installs)."
        )
    return apps[0]


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
