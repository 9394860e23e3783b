"""Encryption at rest of the app tokens Saleor gives us: the ``SALEOR_APP_ENCRYPTION_KEY`` key ring (rotation
and re-encryption: ``ocop.encryption``)."""

from ocop.encryption import InvalidToken, KeyRing

__all__ = ["KEYRING", "InvalidToken", "decrypt", "encrypt"]

KEYRING = KeyRing("SALEOR_APP_ENCRYPTION_KEY")


def encrypt(plaintext: str) -> str:
    return KEYRING.encrypt(plaintext)


def decrypt(ciphertext: str) -> str:
    return KEYRING.decrypt(ciphertext)
