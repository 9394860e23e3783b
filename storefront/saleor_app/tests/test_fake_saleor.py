"""The contract fake answers like the recordings of a real Saleor 3.23.28."""

import json

import httpx

from .fake_saleor import recorded


def post(fake, body, *, app=True):
    headers = {"Authorization": f"Bearer {fake.app_token}"} if app else {}
    return httpx.post(fake.url, json=body, headers=headers)


def setup_product(fake):
    """Category, attribute-less product type, product and variant, as the recorded flow did."""
    channel_id = next(iter(fake.channels))
    ptype = post(
        fake,
        {
            "query": "mutation($i: ProductTypeInput!){ productTypeCreate(input:$i){ productType{ id } } }",
            "variables": {"i": {"name": "OCOP", "slug": "ocop", "hasVariants": False}},
        },
    ).json()
    type_id = ptype["data"]["productTypeCreate"]["productType"]["id"]
    created = recorded("graphql/016-productCreate.json")["request"]["body"]
    created["variables"]["input"].update(productType=type_id, attributes=[])
    product_id = post(fake, created).json()["data"]["productCreate"]["product"]["id"]
    variant = recorded("graphql/017-productVariantCreate.json")["request"]["body"]
    variant["variables"]["input"].update(
        product=product_id, stocks=[{"warehouse": fake.warehouse["id"], "quantity": 5}]
    )
    variant_id = post(fake, variant).json()["data"]["productVariantCreate"]["productVariant"]["id"]
    return channel_id, product_id, variant_id


def test_pricing_a_variant_before_listing_its_product_fails_like_saleor(fake_saleor):
    # Given a product and variant not yet listed in the channel
    channel_id, _product_id, variant_id = setup_product(fake_saleor)
    request = recorded("graphql/018-productVariantChannelListingUpdate-before-product-listing-error.json")
    body = request["request"]["body"]
    body["variables"].update(id=variant_id, input=[{"channelId": channel_id, "price": 185000}])

    # When the recorded request is replayed
    answer = post(fake_saleor, body).json()

    # Then the fake answers with the recorded error shape and code
    expected = request["response"]["json"]["data"]["productVariantChannelListingUpdate"]
    got = answer["data"]["productVariantChannelListingUpdate"]
    assert got["variant"] is None
    assert [set(e) for e in got["errors"]] == [set(e) for e in expected["errors"]]
    assert got["errors"][0]["code"] == "PRODUCT_NOT_ASSIGNED_TO_CHANNEL"
    assert got["errors"][0]["channels"] == [channel_id]


def test_available_for_purchase_at_null_alone_is_ignored_like_saleor(fake_saleor):
    # Given a published, purchasable product
    channel_id, product_id, _variant = setup_product(fake_saleor)
    publish = recorded("graphql/019-productChannelListingUpdate-publish.json")["request"]["body"]
    publish["variables"].update(id=product_id)
    publish["variables"]["input"]["updateChannels"][0]["channelId"] = channel_id
    post(fake_saleor, publish)

    # When only availableForPurchaseAt: null is sent (recorded case S4)
    s4 = recorded("unpublish-experiments/S4-availableForPurchaseAt-null-published.json")
    update = {
        "query": publish["query"],
        "variables": {"id": product_id, "input": s4["productChannelListingUpdate_input"]},
    }
    update["variables"]["input"]["updateChannels"][0]["channelId"] = channel_id
    post(fake_saleor, update)

    # Then the product stays purchasable, as on the real server
    listing = fake_saleor.products[product_id]["channelListings"][channel_id]
    assert listing["isPublished"] is True
    assert listing["isAvailableForPurchase"] is True


def test_creating_an_attribute_without_the_permission_is_a_top_level_permission_error(fake_saleor):
    # Given an app with MANAGE_PRODUCTS only
    fake_saleor.permissions = {"MANAGE_PRODUCTS"}
    body = recorded("graphql/011-attributeCreate-app-token-missing-permission.json")

    # When the recorded request is replayed
    answer = post(fake_saleor, body["request"]["body"])

    # Then the answer is HTTP 200 with PermissionDenied, like the recording
    expected = body["response"]["json"]
    assert answer.status_code == 200
    assert answer.json()["data"] == expected["data"]
    assert answer.json()["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_an_invalid_document_is_refused_with_http_400(fake_saleor):
    body = recorded("graphql/020-productVariantChannelListingUpdate-price-as-string-literal-error.json")
    answer = post(fake_saleor, body["request"]["body"])
    assert answer.status_code == body["response"]["http_status"] == 400
    assert "errors" in answer.json()


def test_the_fake_signs_webhooks_over_the_raw_body_like_saleor(fake_saleor):
    recorded_delivery = recorded("webhooks/02-product_updated--listing-publish.json")
    body, headers = fake_saleor.webhook(
        "product_updated",
        recorded_delivery["subscription_query"],
        {"product": {"id": "UHJvZHVjdDox", "name": "Nước mắm", "slug": "nm", "metadata": [], "channelListings": []}},
    )
    assert b"N\\u01b0\\u1edbc" in body  # non-ASCII escaped, Python json.dumps spacing
    assert json.loads(body)["product"]["id"] == "UHJvZHVjdDox"
    assert headers["Saleor-Signature"].count(".") == 2 and ".." in headers["Saleor-Signature"]
