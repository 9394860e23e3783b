"""Secrets at rest: the ``INTEGRATIONS_ENCRYPTION_KEY`` key ring (rotation and re-encryption: ``ocop.encryption``)."""

import hashlib
import json

from ocop.encryption import InvalidToken, KeyRing

KEYRING = KeyRing("INTEGRATIONS_ENCRYPTION_KEY")


def encrypt_text(value: str) -> str:
    return KEYRING.encrypt(value) if value else ""


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return KEYRING.decrypt(token)
    except InvalidToken as exc:
        raise ValueError("The stored secret cannot be decrypted with the configured key") from exc


def encrypt_json(value: dict) -> str:
    return encrypt_text(json.dumps(value, sort_keys=True)) if value else ""


def decrypt_json(token: str) -> dict:
    text = decrypt_text(token)
    return json.loads(text) if text else {}


def hash_token(token: str) -> str:
    """Hash of an API token (tokens are long random strings, so a plain SHA-256 is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()
