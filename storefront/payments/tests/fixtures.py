"""Fixtures of the payments: the providers configured against their stand-ins."""

import pytest

from .stand_ins import BankStatementStandIn, VNPayStandIn


@pytest.fixture
def vnpay_stand_in():
    stand_in = VNPayStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def bank_stand_in():
    return BankStatementStandIn()


@pytest.fixture
def payments_configured(settings, vnpay_stand_in, bank_stand_in):
    settings.PAYMENTS_VIETQR_BANK_BIN = "970436"
    settings.PAYMENTS_VIETQR_ACCOUNT = bank_stand_in.account
    settings.PAYMENTS_VIETQR_ACCOUNT_NAME = "HTX OCOP DAK LAK"
    settings.PAYMENTS_BANK_STATEMENT_PROVIDER = "casso"
    settings.CASSO_CHECKSUM_KEY = bank_stand_in.checksum_key
    settings.VNPAY_TMN_CODE = vnpay_stand_in.tmn_code
    settings.VNPAY_HASH_SECRET = vnpay_stand_in.secret
    settings.VNPAY_PAYMENT_URL = vnpay_stand_in.payment_url
    settings.VNPAY_API_URL = vnpay_stand_in.api_url
    return settings
