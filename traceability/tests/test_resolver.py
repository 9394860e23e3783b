"""The resolver against the GS1 Digital Link URI Syntax (1.2+) and GS1-Conformant Resolver (1.1) standards."""

import json
from pathlib import Path

import jsonschema
import pytest

from traceability import querysets, services
from traceability.identifiers import item_path, new_serial
from traceability.resolver.links import VOC

LINKSET = "application/linkset+json"
DATA = Path(__file__).parent / "data" / "gs1"
LINKSET_SCHEMA = json.loads((DATA / "linkset-schema.json").read_text())
DESCRIPTION_SCHEMA = json.loads((DATA / "description-file-schema.json").read_text())
GTIN = "08934602001238"
LOT = "L2026-11"
CONTEXT_LINK = '<https://ref.gs1.org/standards/resolver/linkset-context>; rel="http://www.w3.org/ns/json-ld#context"'


def path_of(item):
    lot = item.lot
    return item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)


@pytest.fixture
def genuine(item, certify):
    certify(item.lot.product)
    return item


# (URI, status, data-status of the page or None, Location of a redirect or None). {S}: the item's serial.
URIS = [
    # the three levels, canonical
    (f"/01/{GTIN}", 200, "genuine", None),
    (f"/01/{GTIN}/10/{LOT}", 200, "genuine", None),
    (f"/01/{GTIN}/10/{LOT}/21/{{S}}", 200, "genuine", None),
    (f"/01/{GTIN}/21/{{S}}", 200, "genuine", None),  # an item without its lot in the URI
    (f"/01/{GTIN}/10/{LOT}/21/{{S}}?17=271101", 200, "genuine", None),
    ("/q/{S}", 200, "genuine", None),
    # a trailing slash is tolerated
    (f"/01/{GTIN}/", 200, "genuine", None),
    (f"/01/{GTIN}/10/{LOT}/", 200, "genuine", None),
    ("/q/{S}/", 200, "genuine", None),
    # GTIN-13, GTIN-12, GTIN-8: the canonical 14 digits, by a redirect that passes the query string on
    ("/01/8934602001238", 301, None, f"/01/{GTIN}"),
    (
        "/01/8934602001238/10/L2026-11?17=271101&sp=bmt-airport",
        301,
        None,
        f"/01/{GTIN}/10/{LOT}?17=271101&sp=bmt-airport",
    ),
    ("/01/614141000036", 301, None, "/01/00614141000036"),
    ("/01/12345670", 301, None, "/01/00000012345670"),
    # qualifiers out of order: the canonical order
    (f"/01/{GTIN}/21/{{S}}/10/{LOT}", 301, None, f"/01/{GTIN}/10/{LOT}/21/{{S}}"),
    (f"/01/8934602001238/21/{{S}}/10/{LOT}/?17=271101", 301, None, f"/01/{GTIN}/10/{LOT}/21/{{S}}?17=271101"),
    # not valid codes: 400, "not a valid code"
    ("/01/08934602001239", 400, "invalid", None),  # wrong check digit
    ("/01/8934602001239", 400, "invalid", None),
    ("/01/12345678", 400, "invalid", None),
    ("/01/123", 400, "invalid", None),  # not 8, 12, 13 or 14 digits
    ("/01/089346020012380", 400, "invalid", None),
    ("/01/abcdefghijklm", 400, "invalid", None),
    (f"/01/{GTIN}/10/{LOT}/extra", 400, "invalid", None),  # an extra path segment
    (f"/01/{GTIN}/99/x", 400, "invalid", None),  # not a qualifier of a GTIN
    (f"/01/{GTIN}/10/{LOT}/10/L2", 400, "invalid", None),  # a qualifier twice
    (f"/01/{GTIN}//10/{LOT}", 400, "invalid", None),  # an empty segment
    (f"/01/{GTIN}/10/ABCDEFGHIJKLMNOPQRSTU", 400, "invalid", None),  # a lot longer than AI 10 allows
    (f"/01/{GTIN}?17=999999", 400, "invalid", None),  # not a date
    (f"/01/{GTIN}?17=270230", 400, "invalid", None),  # 30 February
    # valid codes we do not know
    ("/01/09506000134352", 404, "unknown", None),  # a valid GTIN not in the register
    (f"/01/{GTIN}/10/{LOT}/21/0000000000000000", 404, "unknown", None),  # a serial never issued
    ("/q/0000-0000-0000-0000", 404, "unknown", None),
    # a lot the producer never registered: the product, with a milder notice
    (f"/01/{GTIN}/10/NOT-REGISTERED", 200, "genuine", None),
]


@pytest.mark.parametrize(("uri", "status", "page_status", "location"), URIS)
def test_every_shape_of_uri(client, genuine, uri, status, page_status, location):
    response = client.get(uri.replace("{S}", genuine.serial), HTTP_ACCEPT="text/html")

    assert response.status_code == status, response.content[:300]
    if page_status:
        assert f'data-status="{page_status}"' in response.content.decode()
    if location:
        assert response["Location"] == location.replace("{S}", genuine.serial)


def test_a_wrong_check_digit_is_not_a_valid_code_and_an_unknown_gtin_is_an_unknown_code(client, genuine):
    invalid = client.get("/01/08934602001239").content.decode()
    unknown = client.get("/01/09506000134352").content.decode()

    assert "This is not a valid code" in invalid and "may not be genuine" not in invalid
    assert "We did not issue this code" in unknown and "not a valid code" not in unknown


def test_invalid_code_answers_json_to_a_client_that_asks_for_a_link(client, db):
    response = client.get("/01/08934602001239?linkType=gs1:pip")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_code" and response.json()["reason"] == "check_digit"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("level", ["item", "lot", "product"])
@pytest.mark.parametrize(
    "ask",
    [
        {"QUERY_STRING": "linkType=all"},
        {"QUERY_STRING": "linkType=linkset"},
        {"HTTP_ACCEPT": LINKSET},
        {"QUERY_STRING": "linkType=gs1:linkset"},
    ],
)
def test_each_level_has_a_linkset_that_validates_against_gs1s_schema(client, genuine, settings, level, ask):
    settings.PUBLIC_BASE_URL = "https://ocop.daklak.vn"
    path = {
        "item": f"/01/{GTIN}/10/{LOT}/21/{genuine.serial}",
        "lot": f"/01/{GTIN}/10/{LOT}",
        "product": f"/01/{GTIN}",
    }[level]
    query = ask.get("QUERY_STRING", "")

    response = client.get(
        path + ("?17=271101&" + query if query else "?17=271101"),
        HTTP_ACCEPT_LANGUAGE="vi",
        **{k: v for k, v in ask.items() if k != "QUERY_STRING"},
    )

    assert response.status_code == 200 and response["Content-Type"] == LINKSET
    body = json.loads(response.content)
    jsonschema.validate(body, LINKSET_SCHEMA)
    (entry,) = body["linkset"]
    assert entry["anchor"] == "https://ocop.daklak.vn" + path  # the request URI without its query string
    assert entry["itemDescription"].startswith("Cà phê bột Buôn Ma Thuột — HTX Cà phê Buôn Ma Thuột")
    kinds = {key.removeprefix(VOC) for key in entry if key.startswith(VOC)}
    expected = {"defaultLink", "defaultLinkMulti", "pip", "certificationInfo"}
    assert kinds == (expected | {"traceability", "epcis"} if level == "item" else expected)
    assert all(key.startswith("https://ref.gs1.org/voc/") for key in entry if key not in ("anchor", "itemDescription"))
    (default,) = entry[VOC + "defaultLink"]
    assert default["href"] == "https://ocop.daklak.vn" + path
    assert [link["hreflang"] for link in entry[VOC + "defaultLinkMulti"]] == [["vi"], ["en"]]


def test_link_type_redirects_to_that_link_with_the_query_string_passed_on(client, genuine):
    base = f"/01/{GTIN}/10/{LOT}/21/{genuine.serial}"

    certificate = client.get(base + "?17=271101&linkType=gs1:certificationInfo")
    history = client.get(base + "?linkType=https://ref.gs1.org/voc/traceability")
    old_namespace = client.get(base + "?linkType=https://gs1.org/voc/traceability")

    assert certificate.status_code == 307
    assert certificate["Location"].endswith(base + "?17=271101#certificate")
    assert history.status_code == 307 and history["Location"].endswith(base + "#history")
    assert old_namespace["Location"] == history["Location"]


def test_default_link_multi_follows_the_readers_language(client, genuine):
    path = f"/01/{GTIN}"

    english = client.get(path + "?linkType=gs1:defaultLinkMulti", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    vietnamese = client.get(path + "?linkType=gs1:defaultLinkMulti", HTTP_ACCEPT_LANGUAGE="vi")
    page = client.get(path + "?lang=en", HTTP_ACCEPT_LANGUAGE="vi")

    assert english.status_code == 307 and english["Location"].endswith(path + "?lang=en")
    assert vietnamese["Location"].endswith(path + "?lang=vi")
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.parametrize("link_type", ["gs1:recipeInfo", "gs1:traceability", "gs1:epcis", "nonsense"])
def test_an_unavailable_link_type_is_not_found_never_the_default_link(client, genuine, link_type):
    response = client.get(f"/01/{GTIN}?linkType={link_type}")  # product level: no item history

    assert response.status_code == 404
    assert response.json()["error"] == "link_type_not_found"
    assert "Location" not in response


def test_unknown_code_has_no_linkset(client, db):
    response = client.get(f"/q/{new_serial()}", HTTP_ACCEPT=LINKSET)

    assert response.status_code == 404 and response.json()["error"] == "unknown_code"


@pytest.mark.parametrize("uri", [f"/01/{GTIN}", f"/01/{GTIN}/10/{LOT}", "ITEM", "/01/8934602001238"])
def test_ordinary_answers_carry_cors_and_the_linkset_and_context_links(client, genuine, uri):
    uri = path_of(genuine) if uri == "ITEM" else uri

    response = client.get(uri)

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert {"Link", "Location"} <= {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    canonical = uri.split("?")[0].replace("/01/8934602001238", f"/01/{GTIN}")
    assert f'<http://127.0.0.1:8000{canonical}?linkType=linkset>; rel="linkset"' in response["Link"]
    assert CONTEXT_LINK in response["Link"]


@pytest.mark.parametrize(
    "uri", [f"/01/{GTIN}", f"/01/{GTIN}/10/{LOT}", "ITEM", "/.well-known/gs1resolver", "/01/08934602001239"]
)
def test_options_is_answered_as_options_and_never_logged_as_a_scan(client, genuine, scan_queue, uri):
    uri = path_of(genuine) if uri == "ITEM" else uri

    response = client.options(uri, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")

    assert response.status_code == 204 and response.content == b""
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    services.flush_scan_buffer()
    assert scan_queue.llen(services.SCAN_QUEUE_KEY) == 0


def test_head_is_answered_without_logging_a_scan(client, genuine, scan_queue):
    response = client.head(path_of(genuine))

    services.flush_scan_buffer()
    assert response.status_code == 200 and response["Link"]
    assert scan_queue.llen(services.SCAN_QUEUE_KEY) == 0


def test_expiry_date_in_the_code_is_shown_but_never_used_as_a_key(client, genuine):
    with_other_date = client.get(f"/01/{GTIN}/10/{LOT}/21/{genuine.serial}?17=280101").content.decode()
    product_level = client.get(f"/01/{GTIN}?17=271101").content.decode()

    assert 'data-status="genuine"' in with_other_date  # found by GTIN, lot and serial, whatever the date says
    assert "01/01/2028" in with_other_date and "data-code-expiry" in with_other_date
    assert "data-code-expiry>01/11/2027<" in product_level


def test_resolver_description_validates_and_states_the_choice_of_serving_the_page(client, db):
    response = client.get("/.well-known/gs1resolver")
    data = response.json()

    jsonschema.validate(data, DESCRIPTION_SCHEMA)
    assert data["supportedPrimaryKeys"] == ["01"]
    assert data["supportedLinkType"] == [{"namespace": "https://ref.gs1.org/voc/", "prefix": "gs1:"}]
    assert {"gs1:defaultLink", "gs1:defaultLinkMulti", "gs1:pip", "gs1:certificationInfo"} <= set(
        data["activeLinkTypes"]
    )
    assert "307" in data["defaultResponse"] and " ms " in data["defaultResponse"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("level", ["item", "lot", "product", "short"])
def test_a_repeated_scan_costs_one_statement_at_every_level(
    client, genuine, monkeypatch, django_assert_num_queries, level
):
    statements = []
    fetch = querysets._fetch
    monkeypatch.setattr(querysets, "_fetch", lambda sql, params: statements.append(sql) or fetch(sql, params))
    uri = {
        "item": path_of(genuine),
        "lot": f"/01/{GTIN}/10/{LOT}",
        "product": f"/01/{GTIN}",
        "short": f"/q/{genuine.serial}",
    }[level]
    client.get(uri)  # warms the caches of the descriptive parts (product, producer, places' names)
    statements.clear()

    with django_assert_num_queries(0):  # nothing through the ORM…
        response = client.get(uri)

    assert response.status_code == 200
    assert len(statements) == 1  # …and the one prepared statement of the scan


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (f"/01/{GTIN}/10/{LOT}/21/{new_serial()}", "17=271101"),
        (f"/01/{GTIN}/21/{new_serial()}", ""),
        (f"/01/{GTIN}/22/V2/10/{LOT}/21/ABC", ""),
        (f"/01/{GTIN[1:]}/10/{LOT}/21/ABC", ""),  # a GTIN-13: the canonical path has 14 digits
        (f"/01/{GTIN[:-1]}7/10/{LOT}/21/ABC", ""),  # a wrong check digit
        (f"/01/{GTIN}/10/{LOT}/21/" + "A" * 21, ""),  # a serial too long
        (f"/01/{GTIN}/10/{LOT}/21/A~B", ""),  # a character AI 21 does not allow
        (f"/01/{GTIN}/10/{LOT}/21/A B", ""),  # percent-encoded in the canonical path
        (f'/01/{GTIN}/10/{LOT}/21/a"b%', "17=270101&3103=000123"),
        (f"/01/{GTIN}/21/ABC/10/{LOT}", ""),  # out of order
        (f"/01/{GTIN}/10//21/ABC", ""),
        (f"/01/{GTIN}/10/{LOT}/21/ABC", "21=XYZ"),
        (f"/01/{GTIN}/10/{LOT}/21/ABC", "17=261301"),  # no 13th month
        (f"/01/{GTIN}/10/{LOT}/21/", ""),
    ],
)
def test_an_item_uri_parsed_through_its_remembered_lot_is_what_biip_makes_of_it_whole(path, query):
    from traceability.resolver import uris

    def outcome(parse):
        try:
            return parse(path, query)
        except uris.InvalidLink as exc:
            return exc.code

    assert outcome(uris.parse) == outcome(uris._parse)
