"""Encryption at rest of stored secrets (Saleor app tokens, partners' credentials): one key ring per purpose.

A key ring is read from a setting holding comma-separated Fernet keys, the current key first. Rotation without
downtime: put a new key first and keep the old ones after it; values written under an old key are still read,
every new write uses the new key, and ``manage.py reencrypt_secrets`` moves every registered column to the new
key; then the old keys can be dropped. Production has no fallback: a missing key stops the settings from
loading (see ``keys_from_environment``); only development (DEBUG) derives a key of its own from SECRET_KEY.
"""

import base64
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "KeyRing", "keys_from_environment", "parse_keys", "reencrypt", "register"]

GENERATE_HINT = 'python3 -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


def parse_keys(value, *, setting: str) -> list[str]:
    """The Fernet keys of ``value`` (a comma-separated string or a list), checked; never echoes a key."""
    raw = value.split(",") if isinstance(value, str) else list(value or [])
    keys = [key.strip() for key in raw if key and key.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{setting}: key {position} of {len(keys)} is not a Fernet key (32 url-safe base64-encoded "
                f"bytes); generate one with {GENERATE_HINT}"
            ) from exc
    return keys


def development_key(setting: str, secret_key: str) -> str:
    """A key derived from SECRET_KEY, one per setting: development only (settings refuse it in production)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"ocop.dev.{setting}".encode())
    return base64.urlsafe_b64encode(derived.derive(secret_key.encode())).decode()


def keys_from_environment(value: str, *, setting: str, debug: bool, secret_key: str) -> list[str]:
    """For ``ocop/settings.py``: the keys of ``value``; when empty, a development key with DEBUG, else a
    clear ImproperlyConfigured (a secret must never quietly fall back to SECRET_KEY in production)."""
    keys = parse_keys(value, setting=setting)
    if keys:
        return keys
    if not debug:
        raise ImproperlyConfigured(
            f"{setting} must be set when DJANGO_DEBUG is false: comma-separated Fernet keys, the current one "
            f"first (generate one with {GENERATE_HINT})"
        )
    return [development_key(setting, secret_key)]


class KeyRing:
    """Encrypts with the current key of ``settings.<setting>``, decrypts with any of its keys."""

    def __init__(self, setting: str):
        self.setting = setting

    def keys(self) -> list[str]:
        keys = parse_keys(getattr(settings, self.setting), setting=self.setting)
        if not keys:
            raise ImproperlyConfigured(f"{self.setting} holds no key")
        return keys

    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(key) for key in self.keys()])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet().encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Raises ``InvalidToken`` when no key of the ring opens ``token``."""
        return self._fernet().decrypt(token.encode()).decode()

    def is_current(self, token: str) -> bool:
        try:
            Fernet(self.keys()[0]).decrypt(token.encode())
        except InvalidToken:
            return False
        return True

    def rotate(self, token: str) -> str:
        """The same plaintext under the current key (raises ``InvalidToken`` like ``decrypt``)."""
        return self._fernet().rotate(token.encode()).decode()

    def __repr__(self):
        return f"KeyRing({self.setting!r})"


# --- the encrypted columns, for re-encryption ------------------------------------------------------------------


@dataclass(frozen=True)
class EncryptedColumn:
    model: str  # "app_label.ModelName"
    field: str
    keyring: KeyRing = dataclass_field(compare=False)


_COLUMNS: list[EncryptedColumn] = []


def register(model: str, field_name: str, keyring: KeyRing) -> None:
    """Declare a text column holding ``keyring`` ciphertexts (from the owning app's ``ready()``)."""
    column = EncryptedColumn(model, field_name, keyring)
    if column not in _COLUMNS:
        _COLUMNS.append(column)


def registered() -> list[EncryptedColumn]:
    return list(_COLUMNS)


@dataclass
class ColumnReport:
    column: EncryptedColumn
    moved: int = 0
    current: int = 0
    unreadable: list = dataclass_field(default_factory=list)  # primary keys no key of the ring opens


def reencrypt(*, batch_size: int = 200) -> list[ColumnReport]:
    """Move every registered value written under an old key to the current key. Safe to run again and while
    the platform runs: each row is rewritten only if its value has not changed since it was read."""
    reports = []
    for column in _COLUMNS:
        report = ColumnReport(column)
        model = apps.get_model(column.model)
        rows = model._default_manager.exclude(**{column.field: ""}).order_by("pk").values_list("pk", column.field)
        for pk, token in rows.iterator(chunk_size=batch_size):
            if column.keyring.is_current(token):
                report.current += 1
                continue
            try:
                rotated = column.keyring.rotate(token)
            except InvalidToken:
                report.unreadable.append(pk)
                continue
            report.moved += model._default_manager.filter(pk=pk, **{column.field: token}).update(
                **{column.field: rotated}
            )
        reports.append(report)
    return reports
