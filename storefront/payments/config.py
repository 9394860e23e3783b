"""The providers as configured in settings (every secret from the environment)."""

from django.conf import settings

from .models import Method
from .providers import bank_statement, vietqr, vnpay


def vietqr_beneficiary() -> vietqr.Beneficiary | None:
    if not (settings.PAYMENTS_VIETQR_BANK_BIN and settings.PAYMENTS_VIETQR_ACCOUNT):
        return None
    return vietqr.Beneficiary(
        bank_bin=settings.PAYMENTS_VIETQR_BANK_BIN,
        account=settings.PAYMENTS_VIETQR_ACCOUNT,
        name=settings.PAYMENTS_VIETQR_ACCOUNT_NAME,
    )


def vnpay_config() -> vnpay.Config | None:
    if not (settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET and settings.VNPAY_PAYMENT_URL):
        return None
    return vnpay.Config(
        tmn_code=settings.VNPAY_TMN_CODE,
        hash_secret=settings.VNPAY_HASH_SECRET,
        payment_url=settings.VNPAY_PAYMENT_URL,
        api_url=settings.VNPAY_API_URL,
    )


def bank_statement_provider() -> bank_statement.Provider | None:
    if settings.PAYMENTS_BANK_STATEMENT_PROVIDER == "casso" and settings.CASSO_CHECKSUM_KEY:
        return bank_statement.Casso(
            checksum_key=settings.CASSO_CHECKSUM_KEY, max_age_seconds=settings.PAYMENTS_NOTIFICATION_MAX_AGE
        )
    return None


def enabled_methods() -> list[str]:
    """The online methods that are fully configured (VietQR also needs a bank-statement service to confirm)."""
    methods = []
    if vietqr_beneficiary() and bank_statement_provider():
        methods.append(Method.VIETQR)
    if vnpay_config():
        methods.append(Method.VNPAY)
    return methods
