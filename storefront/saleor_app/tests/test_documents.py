import pytest

from storefront.saleor_app import documents, manifest, payment_documents, views

from .fake_saleor import validate_document

DOCUMENTS = documents.all_documents() | payment_documents.all_documents()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_sent_to_saleor_is_valid_against_the_schema(saleor_schema, name):
    assert validate_document(DOCUMENTS[name]) == []


def test_the_manifest_subscriptions_are_among_the_validated_documents():
    assert {query for _name, _event, query in views.WEBHOOKS} <= set(DOCUMENTS.values())
    assert {query for _name, _event, query in manifest.PAYMENT_WEBHOOKS} <= set(DOCUMENTS.values())


def test_a_misspelt_field_fails_validation(saleor_schema):
    errors = validate_document("query { channels { id slugg } }")
    assert errors and "slugg" in errors[0]


def test_a_price_written_as_a_string_is_refused(saleor_schema):
    literal = 'mutation { productVariantChannelListingUpdate(id: "x", input: [{channelId: "c", price: "12.50"}]) { errors { code } } }'  # noqa: E501
    assert validate_document(literal)
    variables = {"id": "x", "input": [{"channelId": "c", "price": "185000"}]}
    assert validate_document(documents.VARIANT_CHANNEL_LISTING_UPDATE, variables)
    variables["input"][0]["price"] = 185000
    assert validate_document(documents.VARIANT_CHANNEL_LISTING_UPDATE, variables) == []
