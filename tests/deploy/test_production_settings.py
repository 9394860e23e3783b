"""`manage.py check --deploy` with the production environment the deployment files set."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet

from .environment import ROOT


def _check_deploy(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "ocop.daklak.gov.vn,localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://ocop.daklak.gov.vn",
            "PUBLIC_BASE_URL": "https://ocop.daklak.gov.vn",
            "SALEOR_APP_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "INTEGRATIONS_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        }
    )
    env.update(overrides)
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_production_settings_pass_the_deployment_checks():
    result = _check_deploy()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_catch_a_weak_secret_or_a_missing_hsts():
    weak_key = _check_deploy(DJANGO_SECRET_KEY="short")
    no_hsts = _check_deploy(DJANGO_HSTS_SECONDS="0")

    assert weak_key.returncode != 0 and "security.W009" in weak_key.stderr
    assert no_hsts.returncode != 0 and "security.W004" in no_hsts.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _check_deploy(DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
