"""Security suite (issue #12), secrets at rest: the Saleor app token and partners' credentials are encrypted under
keys of their own, never derived from SECRET_KEY in production, and the keys can be rotated without losing a value.
"""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from integrations.models import Destination
from ocop import encryption
from storefront.saleor_app.models import SaleorInstance
from tests.deploy.environment import ROOT
from tests.deploy.test_production_settings import _check_deploy

KEY_SETTINGS = ["SALEOR_APP_ENCRYPTION_KEY", "INTEGRATIONS_ENCRYPTION_KEY"]


@pytest.mark.parametrize("name", KEY_SETTINGS)
def test_production_settings_without_the_key_refuse_to_start(name):
    result = _check_deploy(**{name: ""})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} must be set when DJANGO_DEBUG is false" in result.stderr


@pytest.mark.parametrize("name", KEY_SETTINGS)
def test_a_key_that_is_not_a_fernet_key_is_refused_without_being_echoed(name):
    result = _check_deploy(**{name: f"{Fernet.generate_key().decode()},my-old-passphrase"})

    assert result.returncode != 0
    assert f"{name}: key 2 of 2 is not a Fernet key" in result.stderr
    assert "my-old-passphrase" not in result.stderr


def test_production_settings_with_both_keys_start():
    result = _check_deploy(**{name: Fernet.generate_key().decode() for name in KEY_SETTINGS})

    assert result.returncode == 0, result.stderr


def test_development_derives_a_key_per_purpose():
    env = {k: v for k, v in os.environ.items() if k not in KEY_SETTINGS and not k.startswith("DJANGO_")}
    code = "from django.conf import settings as s; print(s.SALEOR_APP_ENCRYPTION_KEY, s.INTEGRATIONS_ENCRYPTION_KEY)"
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    saleor, integrations = (line.strip("[]'") for line in result.stdout.split())
    assert saleor != integrations
    assert Fernet(saleor) and Fernet(integrations)


# --- rotation -----------------------------------------------------------------------------------------------------


@pytest.fixture
def old_and_new_keys(settings):
    """Both rings start on an old key; ``rotate()`` puts a new key first, keeping the old one readable."""
    old = {name: Fernet.generate_key().decode() for name in KEY_SETTINGS}
    new = {name: Fernet.generate_key().decode() for name in KEY_SETTINGS}
    for name in KEY_SETTINGS:
        setattr(settings, name, [old[name]])

    def rotate(*, keep_old=True):
        for name in KEY_SETTINGS:
            setattr(settings, name, [new[name], old[name]] if keep_old else [new[name]])

    return old, new, rotate


def opens(key: str, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except encryption.InvalidToken:
        return False
    return True


def test_values_under_the_old_key_are_read_after_rotation_and_new_writes_use_the_new_key(
    db, old_and_new_keys, make_destination, sales_point
):
    old, new, rotate = old_and_new_keys
    instance = SaleorInstance(api_url="https://saleor.example/graphql/", app_id="QXBwOjE=")
    instance.token = "app-token-under-the-old-key"
    instance.save()
    destination = make_destination("shopee", "https://partner.example")
    sales_point.set_webhook_secret("point-secret")
    sales_point.save()

    rotate()
    instance.refresh_from_db()
    destination.refresh_from_db()
    sales_point.refresh_from_db()

    # Old values still read
    assert instance.token == "app-token-under-the-old-key"
    assert destination.credentials["partner_key"] == "testkey"
    assert sales_point.webhook_secret == "point-secret"
    # New writes use the new key
    instance.token = "app-token-after-rotation"
    assert opens(new["SALEOR_APP_ENCRYPTION_KEY"], instance.token_encrypted)
    assert not opens(old["SALEOR_APP_ENCRYPTION_KEY"], instance.token_encrypted)
    destination.set_tokens({"access_token": "new"})
    assert opens(new["INTEGRATIONS_ENCRYPTION_KEY"], destination.tokens_encrypted)


def test_reencrypt_secrets_moves_every_old_value_to_the_new_key(db, old_and_new_keys, make_destination, sales_point):
    _old, new, rotate = old_and_new_keys
    instance = SaleorInstance(api_url="https://saleor.example/graphql/", app_id="QXBwOjE=")
    instance.token = "app-token"
    instance.save()
    destination = make_destination("shopee", "https://partner.example")
    credentials = destination.credentials
    rotate()

    call_command("reencrypt_secrets")

    instance.refresh_from_db()
    destination.refresh_from_db()
    assert opens(new["SALEOR_APP_ENCRYPTION_KEY"], instance.token_encrypted)
    assert opens(new["INTEGRATIONS_ENCRYPTION_KEY"], destination.credentials_encrypted)
    sales_point.refresh_from_db()
    assert opens(new["INTEGRATIONS_ENCRYPTION_KEY"], sales_point.webhook_secret_encrypted)
    # The old keys can now be dropped: everything still reads
    rotate(keep_old=False)
    instance.refresh_from_db()
    destination.refresh_from_db()
    assert instance.token == "app-token"
    assert destination.credentials == credentials
    # Run again: nothing left to move
    reports = encryption.reencrypt()
    assert (sum(report.moved for report in reports), sum(report.current for report in reports)) == (0, 3)


def test_a_value_no_configured_key_opens_is_reported(db, old_and_new_keys):
    _old, _new, rotate = old_and_new_keys
    instance = SaleorInstance(api_url="https://saleor.example/graphql/", app_id="QXBwOjE=")
    instance.token = "app-token"
    instance.save()
    rotate(keep_old=False)  # the old key dropped before re-encrypting

    with pytest.raises(CommandError, match=f"saleor_app.SaleorInstance.token_encrypted pk={instance.pk}"):
        call_command("reencrypt_secrets")


def test_every_encrypted_column_is_registered_for_reencryption():
    from django.apps import apps

    columns = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name.endswith("_encrypted")
    }

    assert columns == {(column.model, column.field) for column in encryption.registered()}


def test_destination_credentials_never_read_under_a_foreign_key(db, settings, make_destination):
    destination = make_destination("shopee", "https://partner.example")
    settings.INTEGRATIONS_ENCRYPTION_KEY = [Fernet.generate_key().decode()]
    destination = Destination.objects.get(pk=destination.pk)

    with pytest.raises(ValueError, match="cannot be decrypted"):
        destination.credentials  # noqa: B018
