import datetime

from traceability.identifiers import (
    CROCKFORD,
    SERIAL_BITS,
    ItemKey,
    display_serial,
    is_serial,
    item_uri,
    new_serial,
    normalise_serial,
    parse_item_uri,
)


def test_serials_are_16_crockford_characters_carrying_80_random_bits():
    serials = {new_serial() for _ in range(20_000)}

    assert len(serials) == 20_000
    assert all(len(s) == 16 and set(s) <= set(CROCKFORD) for s in serials)
    assert SERIAL_BITS >= 64
    # every position takes every symbol: no fixed or predictable characters
    for position in range(16):
        assert len({s[position] for s in serials}) == 32


def test_a_serial_typed_by_a_person_is_normalised():
    serial = "0123ABCD1XYZ0QRS"

    assert normalise_serial(display_serial(serial).lower().replace("1", "l").replace("0", "o")) == serial
    assert is_serial(normalise_serial("abcd-efgh-jkmn-pqrs"))


def test_gtin_product_gets_a_gs1_digital_link_with_qualifiers_in_order_and_expiry(settings):
    settings.PUBLIC_BASE_URL = "https://ocop.daklak.vn"

    uri = item_uri(
        gtin="8934602001238", lot="L2026-11", serial="ABCDEFGHJKMNPQRS", expires_on=datetime.date(2027, 11, 1)
    )

    assert uri == "https://ocop.daklak.vn/01/08934602001238/10/L2026-11/21/ABCDEFGHJKMNPQRS?17=271101"


def test_product_without_gtin_gets_the_platforms_short_uri(settings):
    settings.PUBLIC_BASE_URL = "https://ocop.daklak.vn/"

    uri = item_uri(gtin="", lot="L1", serial="ABCDEFGHJKMNPQRS", expires_on=None)

    assert uri == "https://ocop.daklak.vn/q/ABCDEFGHJKMNPQRS"


def test_built_uris_parse_back_to_the_same_item():
    dl = item_uri(gtin="08934602001238", lot="L.1_x", serial="ABCDEFGHJKMNPQRS", expires_on=datetime.date(2027, 1, 2))
    short = item_uri(gtin="", lot="L1", serial="ABCDEFGHJKMNPQRS", expires_on=None)

    assert parse_item_uri(dl) == ItemKey(serial="ABCDEFGHJKMNPQRS", gtin="08934602001238", lot="L.1_x")
    assert parse_item_uri(short) == ItemKey(serial="ABCDEFGHJKMNPQRS")
    assert parse_item_uri("https://other.host/q/abcd-efgh-jkmn-pqrs") == ItemKey(serial="ABCDEFGHJKMNPQRS")


def test_uris_naming_no_item_do_not_parse():
    assert parse_item_uri("https://x.vn/01/08934602001238") is None  # a product, not an item
    assert parse_item_uri("https://x.vn/foo/bar") is None
    assert parse_item_uri("https://x.vn/01/08934602001239/21/ABC") is None  # wrong check digit
