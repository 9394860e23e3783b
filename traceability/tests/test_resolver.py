import json

from traceability.identifiers import item_path, new_serial

LINKSET = "application/linkset+json"
VOC = "https://gs1.org/voc/"


def path_of(item):
    lot = item.lot
    return item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)


def test_resolver_describes_itself_at_the_well_known_address(client):
    data = client.get("/.well-known/gs1resolver").json()

    assert data["supportedPrimaryKeys"] == ["01"]
    assert {f"{VOC}pip", f"{VOC}certificationInfo", f"{VOC}traceability", f"{VOC}epcis"} <= {
        t["profile"] for t in data["supportedLinkType"]
    }


def test_linkset_request_returns_an_rfc9264_linkset(client, item, settings):
    settings.PUBLIC_BASE_URL = "https://ocop.daklak.vn"

    response = client.get(path_of(item), HTTP_ACCEPT=LINKSET)

    assert response["Content-Type"] == LINKSET
    (entry,) = json.loads(response.content)["linkset"]
    assert entry["anchor"] == "https://ocop.daklak.vn" + path_of(item)
    for kind in ("pip", "certificationInfo", "traceability", "epcis", "defaultLink"):
        assert entry[VOC + kind][0]["href"].startswith("https://ocop.daklak.vn/")
    assert entry[VOC + "epcis"][0]["href"].endswith(f"/trace/epcis/events?item={item.serial}")


def test_link_type_redirects_to_that_link(client, item):
    response = client.get(path_of(item) + "&linkType=gs1:certificationInfo")
    full = client.get(path_of(item) + "&linkType=https://gs1.org/voc/traceability")

    assert response.status_code == 307 and response["Location"].endswith(path_of(item) + "#certificate")
    assert full.status_code == 307 and full["Location"].endswith("#history")


def test_unknown_link_type_falls_back_to_the_default_link(client, item):
    response = client.get(path_of(item) + "&linkType=gs1:recipeInfo")

    assert response.status_code == 307 and response["Location"].endswith(path_of(item))


def test_default_is_the_scan_page(client, item):
    response = client.get(path_of(item), HTTP_ACCEPT="text/html")

    assert response.status_code == 200 and b"data-status=" in response.content


def test_linkset_for_an_unknown_code_is_404(client, db):
    response = client.get(f"/q/{new_serial()}", HTTP_ACCEPT=LINKSET)

    assert response.status_code == 404 and response.json()["error"] == "unknown_code"
