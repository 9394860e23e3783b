"""Installing the App: the app token Saleor POSTs to ``tokenTargetUrl``, pinned to the App the operator registered.

That POST is not signed, so anyone can send one; what counts is whose token it is. The token is put to the
configured Saleor (never to a URL the caller names) with ``app { id identifier permissions }``, and:

- a token Saleor does not accept, of an App that is not ours (identifier) or that lacks a permission we need:
  refused;
- the registered App's current token again: nothing changes;
- while the registered App's token still works, a token of any other App: refused. Every App installed in the
  same Saleor has a token that works there, and a staff user may create an App with our identifier: none of them
  may take our App's place;
- anything else (the first install, our App installed a second time, a reinstall after the registered App was
  deleted in Saleor) is kept as a ``PendingInstall`` and answered 2xx so that Saleor completes its side. It
  replaces nothing until it is accepted (``accept``): by staff in the admin, seeing its App id and permissions,
  or by ``saleor_app_register``, which checks with Saleor's staff API that it is the App it just installed.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog import audit

from . import documents as doc
from . import encryption
from .client import SaleorClient, SaleorError, normalize_api_url
from .encryption import InvalidToken
from .manifest import APP_ID, PERMISSIONS
from .models import PendingInstall, SaleorInstance
from .services import configured_api_url

logger = logging.getLogger(__name__)


class InstallRefused(Exception):
    pass


@dataclass
class TokenReceipt:
    """What became of a POSTed token: ``unchanged`` (already the app's token) or ``pending`` (kept for review)."""

    outcome: str
    instance: SaleorInstance | None = None
    pending: PendingInstall | None = None


def app_of(api_url: str, token: str) -> dict:
    """The App ``token`` belongs to, as Saleor says; ``InstallRefused`` unless it is our App with every permission
    we need."""
    if not token:
        raise InstallRefused("No auth_token")
    try:
        app = SaleorClient(api_url, token).execute(doc.APP).get("app")
    except SaleorError as exc:
        raise InstallRefused(f"The token was not accepted by {api_url}: {exc}") from exc
    if not app:
        raise InstallRefused("The token does not identify an app")
    if app.get("identifier") != APP_ID:
        raise InstallRefused(f"App {app['id']} is {app.get('identifier')!r}, not {APP_ID!r}")
    missing = sorted(set(PERMISSIONS) - {p["code"] for p in app.get("permissions") or []})
    if missing:
        raise InstallRefused(f"App {app['id']} lacks the permissions {', '.join(missing)}")
    return app


def token_state(instance: SaleorInstance) -> bool | None:
    """Whether the stored token still works for the registered App: True, False, or None when Saleor could not
    tell (unreachable)."""
    try:
        token = instance.token
    except InvalidToken:
        return False  # the key that wrote it is gone
    try:
        app = SaleorClient(instance.api_url, token).execute(doc.APP).get("app")
    except SaleorError as exc:
        return None if exc.retryable else False
    return bool(app) and bool(instance.app_id) and app["id"] == instance.app_id


def receive_token(*, api_url: str, domain: str, auth_token: str, received_from: str | None = None) -> TokenReceipt:
    """The unauthenticated token POST: never replaces the app's token by itself (see the module docstring)."""
    expected = configured_api_url()
    if not expected or normalize_api_url(api_url) != expected:
        raise InstallRefused(f"Saleor API URL {api_url!r} is not the configured one")
    app = app_of(expected, auth_token)
    instance = SaleorInstance.objects.filter(api_url=expected).first()
    if instance is not None and instance.app_id:
        if app["id"] == instance.app_id and instance.is_active and _same_token(instance, auth_token):
            return TokenReceipt("unchanged", instance=instance)
        # Unknown (Saleor unreachable) counts as working: fail closed.
        if app["id"] != instance.app_id and token_state(instance) is not False:
            raise InstallRefused(f"App {app['id']} is not the registered app {instance.app_id}, which still works")
    pending, _created = PendingInstall.objects.update_or_create(
        api_url=expected,
        app_id=app["id"],
        defaults={
            "domain": domain or "",
            "app_identifier": app["identifier"],
            "app_name": app.get("name") or "",
            "permissions": sorted(p["code"] for p in app.get("permissions") or []),
            "token_encrypted": encryption.encrypt(auth_token),
            "received_from": received_from,
            "received_at": timezone.now(),
        },
    )
    logger.warning(
        "Saleor app install by %s kept pending (app %s, registered app %s): staff must accept it",
        received_from,
        app["id"],
        instance.app_id if instance else None,
    )
    return TokenReceipt("pending", pending=pending)


def _same_token(instance: SaleorInstance, token: str) -> bool:
    try:
        return instance.token == token
    except InvalidToken:
        return False


def accept(*, pending: PendingInstall, actor, expected_app_id: str | None = None) -> SaleorInstance:
    """Make a pending install the app's token: the explicit staff action, or ``saleor_app_register`` with the App
    id Saleor's staff API gave it (``expected_app_id``). The token is checked with Saleor again first."""
    app = app_of(pending.api_url, pending.token)
    if app["id"] != pending.app_id:
        raise InstallRefused(f"The pending token now belongs to app {app['id']}, not {pending.app_id}")
    if expected_app_id is not None and app["id"] != expected_app_id:
        raise InstallRefused(f"App {app['id']} is not the app {expected_app_id} that was installed")
    with transaction.atomic():
        instance = _activate(
            api_url=pending.api_url,
            domain=pending.domain,
            token=pending.token,
            app=app,
            actor=actor,
            how="accepted" if expected_app_id is None else "installed",
        )
        PendingInstall.objects.filter(pk=pending.pk).delete()
    return instance


def link_token(*, api_url: str, auth_token: str, app_id: str, actor=None) -> SaleorInstance:
    """Store a token ``saleor_app_register`` created itself for ``app_id`` with Saleor staff credentials."""
    app = app_of(api_url, auth_token)
    if app["id"] != app_id:
        raise InstallRefused(f"The new token belongs to app {app['id']}, not {app_id}")
    with transaction.atomic():
        return _activate(api_url=api_url, domain="", token=auth_token, app=app, actor=actor, how="re-linked")


def _activate(*, api_url: str, domain: str, token: str, app: dict, actor, how: str) -> SaleorInstance:
    instance, _created = SaleorInstance.objects.select_for_update().get_or_create(
        api_url=api_url, defaults={"token_encrypted": ""}
    )
    before = {"app_id": instance.app_id, "is_active": instance.is_active}
    instance.domain = domain or instance.domain
    instance.app_id = app["id"]
    instance.token = token
    instance.is_active = True
    instance.jwks = {}
    instance.jwks_fetched_at = None
    instance.save()
    audit.log(
        actor=actor,
        action=f"saleor_app.install_{how}",
        instance=instance,
        before=before,
        after={"app_id": app["id"], "permissions": sorted(p["code"] for p in app.get("permissions") or [])},
    )
    transaction.on_commit(lambda: _queue_full_sync(instance.pk))
    logger.warning("Saleor app %s for %s: app %s (was %s)", how, api_url, app["id"], before["app_id"] or "none")
    return instance


def _queue_full_sync(instance_id: int) -> None:
    from .tasks import full_sync

    try:
        full_sync.delay(instance_id)
    except Exception:  # the broker being down must not fail the install; the periodic reconciliation repairs
        logger.warning("Could not queue the first Saleor sync", exc_info=True)
