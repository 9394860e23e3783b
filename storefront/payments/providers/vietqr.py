"""VietQR (NAPAS 247) bank-transfer codes: the EMVCo merchant-presented payload built by ``napas-qr-python``.

The payload carries the NAPAS GUID (A000000727), the bank BIN and account (service QRIBFTTA: transfer to an
account), the amount in VND (no decimals), the country VN, the order reference as the purpose of the transfer
(field 62.08, which banking apps copy into the transfer description) and a CRC-16/CCITT-FALSE over everything
before it. ``read`` decodes a payload back (and refuses a bad CRC), so tests check what a banking app would read.
"""

import dataclasses
from decimal import Decimal

import segno
from qr_pay import QRPay, decode, verify_checksum

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT_TRANSFER = "QRIBFTTA"


class InvalidPayload(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class Beneficiary:
    bank_bin: str  # 6 digits, e.g. 970436 (Vietcombank)
    account: str
    name: str = ""

    def __post_init__(self):
        if not (len(self.bank_bin) == 6 and self.bank_bin.isdigit()):
            raise InvalidPayload(f"bank BIN {self.bank_bin!r} is not 6 digits")
        if not (self.account and self.account.isalnum() and len(self.account) <= 19):
            raise InvalidPayload(f"account {self.account!r} is not 1-19 letters or digits")


def payload(beneficiary: Beneficiary, *, amount: Decimal, reference: str) -> str:
    """The dynamic (single-use) VietQR payload for one transfer of ``amount`` VND marked ``reference``."""
    if amount <= 0 or amount != amount.to_integral_value():
        raise InvalidPayload(f"amount {amount} is not a positive whole number of VND")
    if not reference.isalnum():
        raise InvalidPayload("the reference must be letters and digits only (banks strip the rest)")
    return QRPay(
        bin_id=beneficiary.bank_bin,
        consumer_id=beneficiary.account,
        transaction_amount=int(amount),
        purpose_of_transaction=reference,
        point_of_initiation_method="DYNAMIC",
        service_code="ACCOUNT",
        country_code="VN",
    ).code


@dataclasses.dataclass(frozen=True)
class Decoded:
    bank_bin: str
    account: str
    amount: Decimal | None
    reference: str
    currency: str
    guid: str
    service: str


def read(code: str) -> Decoded:
    """Decode a VietQR payload; ``InvalidPayload`` when its CRC or structure is wrong."""
    if not verify_checksum(code):
        raise InvalidPayload("CRC mismatch")
    try:
        fields = decode(code, verify_crc=True)
    except Exception as exc:  # the library raises its own QRDecodeError and ValueErrors
        raise InvalidPayload(str(exc)) from exc
    amount = fields.get("transaction_amount")
    return Decoded(
        bank_bin=fields.get("bin_id") or "",
        account=fields.get("consumer_id") or "",
        amount=Decimal(str(amount)) if amount not in (None, "") else None,
        reference=fields.get("purpose_of_transaction") or "",
        currency=fields.get("transaction_currency") or "",
        guid=fields.get("glocal_uuid") or fields.get("global_uuid") or "",
        service=fields.get("service_code") or "",
    )


def svg(code: str) -> str:
    """The QR code as inline SVG (nothing loaded from elsewhere)."""
    return segno.make_qr(code, error="m").svg_inline(scale=5, border=2)
