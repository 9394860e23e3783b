"""Verification of ``Saleor-Signature``: a detached JWS (RS256, ``b64: false``) over the raw request body."""

import datetime
import logging

import jwt
from django.utils import timezone

from .client import SaleorClient, SaleorError
from .models import SaleorInstance

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"
#: An unknown key id triggers a JWKS refetch at most this often per instance.
JWKS_REFETCH_INTERVAL = datetime.timedelta(seconds=10)


class InvalidSignature(Exception):
    pass


def _find_key(jwks: dict, kid: str) -> dict | None:
    for key in (jwks or {}).get("keys", []):
        if key.get("kid") == kid:
            return key
    return None


def _refetch_jwks(instance: SaleorInstance) -> dict:
    now = timezone.now()
    if instance.jwks_fetched_at and now - instance.jwks_fetched_at < JWKS_REFETCH_INTERVAL:
        return instance.jwks
    try:
        jwks = SaleorClient(instance.api_url).fetch_jwks()
    except SaleorError:
        logger.warning("Could not fetch the JWKS of %s", instance.api_url, exc_info=True)
        return instance.jwks
    instance.jwks = jwks
    instance.jwks_fetched_at = now
    SaleorInstance.objects.filter(pk=instance.pk).update(jwks=jwks, jwks_fetched_at=now)
    return jwks


def verify(instance: SaleorInstance, raw_body: bytes, signature: str) -> None:
    """Raise ``InvalidSignature`` unless ``signature`` is a valid RS256 detached JWS of ``raw_body``."""
    if not signature:
        raise InvalidSignature("no signature")
    try:
        header = jwt.get_unverified_header(signature)
    except jwt.PyJWTError as exc:
        raise InvalidSignature(f"malformed signature: {exc}") from exc
    if header.get("alg") != ALGORITHM:
        raise InvalidSignature(f"algorithm {header.get('alg')!r} refused")
    if header.get("b64") is not False:
        raise InvalidSignature("not a detached unencoded-payload signature")
    kid = header.get("kid")
    if not kid:
        raise InvalidSignature("no key id")
    jwk = _find_key(instance.jwks, kid) or _find_key(_refetch_jwks(instance), kid)
    if jwk is None or jwk.get("kty") != "RSA":
        raise InvalidSignature(f"unknown key id {kid!r}")
    try:
        key = jwt.PyJWK(jwk, algorithm=ALGORITHM).key
        jwt.PyJWS().decode_complete(signature, key=key, algorithms=[ALGORITHM], detached_payload=raw_body)
    except jwt.PyJWTError as exc:
        raise InvalidSignature(str(exc)) from exc
