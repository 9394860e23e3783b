"""``manage.py saleor_app_register``: first start in production, against the contract fake."""

import pytest
from django.core.management import CommandError, call_command

from storefront.saleor_app import documents, manifest, views
from storefront.saleor_app.models import SaleorInstance


@pytest.fixture
def staff_env(monkeypatch, saleor_configured):
    email, password = saleor_configured.staff_login
    monkeypatch.delenv("SALEOR_STAFF_TOKEN", raising=False)
    monkeypatch.setenv("SALEOR_STAFF_EMAIL", email)
    monkeypatch.setenv("SALEOR_STAFF_PASSWORD", password)
    return saleor_configured


def called(fake, field) -> int:
    return sum(1 for c in fake.calls if c["field"] == field)


@pytest.mark.django_db(transaction=True)
def test_first_start_installs_the_app_from_the_manifest_sets_up_and_syncs(
    store_listing, live_server, settings, staff_env, capsys
):
    fake = staff_env
    settings.PUBLIC_BASE_URL = live_server.url  # Saleor fetches the manifest and POSTs the token here

    call_command("saleor_app_register", "--sync-now", "--timeout", "20")

    instance = SaleorInstance.objects.get(api_url=fake.url)
    assert instance.token == fake.app_token
    assert [a["identifier"] for a in fake.apps.values()] == [views.APP_ID]
    assert instance.setup["product_type"] and instance.setup["channels"]
    mapping = instance.products.get(product=store_listing.product)
    assert fake.listing(mapping.saleor_product_id, "ocop-vnd")["isPublished"] is True
    assert "installed" in capsys.readouterr().out

    # Run again (every release does): nothing installed twice, nothing duplicated
    call_command("saleor_app_register", "--sync-now")

    assert called(fake, "appInstall") == 1
    assert len(fake.apps) == 1 and len(fake.products) == 1
    assert SaleorInstance.objects.count() == 1


def test_an_app_installed_in_saleor_but_unknown_here_gets_a_new_token(db, staff_env, store_listing):
    # Given Saleor has our app (say our database was restored) but we hold no token for it
    fake = staff_env
    fake.apps["QXBwOjk="] = {"id": "QXBwOjk=", "name": "OCOP", "identifier": views.APP_ID, "isActive": True}

    call_command("saleor_app_register", "--sync-now")

    assert called(fake, "appInstall") == 0
    assert called(fake, "appTokenCreate") == 1
    instance = SaleorInstance.objects.get(api_url=fake.url)
    assert instance.app_id == "QXBwOjk=" and fake.tokens[instance.token] == "QXBwOjk="
    assert len(fake.products) == 1


def test_when_already_installed_it_only_ensures_setup_and_queues_the_sync(saleor_instance, staff_env, monkeypatch):
    queued = []
    monkeypatch.setattr("storefront.saleor_app.tasks.full_sync.delay", queued.append)

    call_command("saleor_app_register")

    assert queued == [saleor_instance.pk]
    assert called(staff_env, "appInstall") == 0 and called(staff_env, "tokenCreate") == 0


def test_a_failed_installation_is_reported(db, staff_env, settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:9"  # nothing listens: Saleor cannot fetch the manifest

    with pytest.raises(CommandError, match="could not install"):
        call_command("saleor_app_register", "--timeout", "10")
    assert not SaleorInstance.objects.exists()


def test_without_saleor_or_credentials_it_says_what_is_missing(db, settings, monkeypatch, saleor_configured):
    settings.SALEOR_API_URL = ""
    with pytest.raises(CommandError, match="SALEOR_API_URL"):
        call_command("saleor_app_register")

    settings.SALEOR_API_URL = saleor_configured.url
    for name in ("SALEOR_STAFF_TOKEN", "SALEOR_STAFF_EMAIL", "SALEOR_STAFF_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CommandError, match="SALEOR_STAFF"):
        call_command("saleor_app_register")


def test_an_app_installed_by_an_earlier_release_gets_the_current_subscriptions(saleor_instance, staff_env, monkeypatch):
    # Given Saleor still holds the subscriptions an earlier manifest declared (Saleor reads it only at install)
    fake = staff_env
    monkeypatch.setattr("storefront.saleor_app.tasks.full_sync.delay", lambda pk: None)
    legacy = "subscription { event { ... on ProductUpdated { " + documents.PRODUCT_PAYLOAD + " } } }"
    fake.apps[fake.app_id] = {
        "id": fake.app_id,
        "name": "OCOP",
        "identifier": views.APP_ID,
        "isActive": True,
        "webhooks": [
            {
                "id": "V2ViaG9vazox",
                "name": "product-updated",
                "targetUrl": "https://old.example/hook/",
                "isActive": True,
                "subscriptionQuery": legacy,
                "asyncEvents": [{"eventType": "PRODUCT_UPDATED"}],
            }
        ],
    }

    call_command("saleor_app_register")

    hooks = {hook["name"]: hook for hook in fake.apps[fake.app_id]["webhooks"]}
    assert {name: hook["subscriptionQuery"] for name, hook in hooks.items()} == {
        name: query for name, _event, query in views.WEBHOOKS
    }
    assert hooks["product-updated"]["id"] == "V2ViaG9vazox"  # updated in place, not duplicated
    assert {hook["targetUrl"] for hook in hooks.values()} == {manifest.absolute("saleor_app:webhook")}

    # Every later release: nothing to change
    before = called(fake, "webhookUpdate") + called(fake, "webhookCreate")
    call_command("saleor_app_register")
    assert called(fake, "webhookUpdate") + called(fake, "webhookCreate") == before


def test_with_two_apps_carrying_our_identifier_the_operator_must_choose(db, staff_env):
    # Someone created a second app with our identifier: the command does not guess which one is ours
    for _ in range(2):
        staff_env.add_app(identifier=views.APP_ID, permissions=views.PERMISSIONS)

    with pytest.raises(CommandError, match="2 apps with the identifier"):
        call_command("saleor_app_register")
    assert not SaleorInstance.objects.exists()
