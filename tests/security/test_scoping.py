"""Who sees what: one scoping rule for the registry and traceability, asked by every entry point.

The rule (``catalog.permissions.scope`` / ``visible``): the OCOP office and the Department see everything; a
commune officer the rows of their commune; a producer its own rows; anyone else nothing of the staff side; and
everybody, signed in or not, what is public (listable products, their producers and current certificates).

Each test reproduces an attack on an entry point (GraphQL, the staff site, the staff JSON endpoints under
/trace/, the portal pages, the exports, the public report page) and asserts it is refused (404 for an object
outside the user's scope, as for an unknown id) or that the row is absent. The world: producer P ("ours", in
commune A) with a listable product and a draft; a neighbour producer N in commune A with a draft; producer Q in
commune B with a listable product, a draft and a revoked product, and a lot with serials, jobs, scans and events.
"""

import dataclasses
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from catalog import permissions
from catalog import services as registry
from catalog.evaluation_path import record_path
from catalog.models import CertificationDecision, Level, Producer, Product
from catalog.querysets import local_today
from traceability import services as tracing
from traceability.models import IssuanceJob, Item, LabelSheetJob, Lot, ScanEvent, SerialFlag
from traceability.oversight.models import Report

pytestmark = pytest.mark.django_db

ROLES = ["office", "department", "commune_officer", "producer", "operator", "anonymous"]
REVOCATION_REASON = "Hồ sơ kiểm nghiệm giả mạo — không công bố"
DRAFT_GTIN = "08934602009999"


@dataclasses.dataclass
class World:
    own_listed: Product
    own_draft: Product
    neighbour_draft: Product
    other_listed: Product
    other_draft: Product
    other_revoked: Product
    revocation: CertificationDecision
    joint_decision: CertificationDecision
    own_lot: Lot
    other_lot: Lot
    own_item: Item
    other_item: Item
    draft_item: Item
    other_issuance: IssuanceJob
    own_labels: LabelSheetJob
    other_labels: LabelSheetJob

    def products(self, *names: str) -> set[str]:
        return {getattr(self, name).name_vi for name in names}


ALL = ("own_listed", "own_draft", "neighbour_draft", "other_listed", "other_draft", "other_revoked")
PUBLIC = ("own_listed", "other_listed")
#: What each role may read where public rows count too (GraphQL): the public rows plus its scope.
READS = {
    "office": ALL,
    "department": ALL,
    "commune_officer": (*PUBLIC, "own_draft", "neighbour_draft"),
    "producer": (*PUBLIC, "own_draft"),
    "operator": PUBLIC,
    "anonymous": PUBLIC,
}
#: What each role's scope holds on the staff side (staff site, portals, staff endpoints): no public part.
SCOPE = {
    "office": ALL,
    "department": ALL,
    "commune_officer": ("own_listed", "own_draft", "neighbour_draft"),
    "producer": ("own_listed", "own_draft"),
    "operator": (),
    "anonymous": (),
}
SEES_EVERYTHING = {"office", "department"}


@pytest.fixture
def world(
    producer, other_producer, product, other_product, commune, coffee_group, office_user, issue, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    signed_on = local_today() - datetime.timedelta(days=30)
    neighbour = Producer.objects.create(
        kind=Producer.Kind.HOUSEHOLD, name="Hộ Rượu cần Buôn Đôn", registration_number="40A8007777", commune=commune
    )

    def make(owner, name, **extra):
        return Product.objects.create(producer=owner, name_vi=name, group=coffee_group, **extra)

    own_draft = make(producer, "Cà phê chồn thử nghiệm (bản nháp)")
    neighbour_draft = make(neighbour, "Rượu cần men lá (bản nháp)")
    other_draft = make(other_producer, "Mật ong rừng chưa công bố (bản nháp)", gtin=DRAFT_GTIN)
    other_revoked = make(other_producer, "Mật ong bạc hà (đã thu hồi)")

    def decide(number, *products):
        for p in products:
            record_path(p, stars=4, on=signed_on, level=Level.PROVINCE, actor=office_user)
        return registry.issue_certification(
            number=number,
            signed_on=signed_on,
            authority_level=Level.PROVINCE,
            authority_name="UBND tỉnh Đắk Lắk",
            awards=[registry.Award(product=p, stars=4) for p in products],
            actor=office_user,
        )

    joint = decide("501/QĐ-UBND-SEC", product, other_product)
    decide("502/QĐ-UBND-SEC", other_revoked)
    revocation = registry.revoke_certificates(
        number="77/QĐ-UBND-THUHOI-SEC",
        signed_on=local_today() - datetime.timedelta(days=5),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason=REVOCATION_REASON,
        certificates=[other_revoked.certificates.get()],
        actor=office_user,
    )

    def lot(of, number):
        return tracing.create_lot(
            product=of,
            number=number,
            produced_on=local_today() - datetime.timedelta(days=3),
            quantity=10,
            actor=office_user,
        )

    own_lot, other_lot = lot(product, "OWN-LOT-1"), lot(other_product, "OTHER-LOT-1")
    draft_lot = lot(other_draft, "DRAFT-LOT-1")
    own_item, other_item, draft_item = issue(own_lot, 1)[0], issue(other_lot, 2)[0], issue(draft_lot, 1)[0]
    labels = {}
    for owner_lot in (own_lot, other_lot):
        labels[owner_lot] = LabelSheetJob.objects.create(lot=owner_lot, status=LabelSheetJob.Status.DONE, labels=1)
        labels[owner_lot].file.save(f"{owner_lot.number}.pdf", ContentFile(b"%PDF-1.4 labels"))
    ScanEvent.objects.create(
        scanned_at=timezone.now() - datetime.timedelta(days=1),
        item=other_item,
        serial=other_item.serial,
        sales_point_code="bmt-airport",
    )
    SerialFlag.objects.create(item=other_item, reason=SerialFlag.Reason.OVER_SCANNED, detail="other's flag")
    for p in (product, other_product):
        p.refresh_from_db()
    return World(
        own_listed=product,
        own_draft=own_draft,
        neighbour_draft=neighbour_draft,
        other_listed=other_product,
        other_draft=other_draft,
        other_revoked=other_revoked,
        revocation=revocation,
        joint_decision=joint,
        own_lot=own_lot,
        other_lot=other_lot,
        own_item=own_item,
        other_item=other_item,
        draft_item=draft_item,
        other_issuance=IssuanceJob.objects.get(lot=other_lot),
        own_labels=labels[own_lot],
        other_labels=labels[other_lot],
    )


@pytest.fixture
def role_user(request, member, office_user, commune, producer):
    """The signed-in user of a role (None for anonymous). The commune officer and the producer are in commune A."""

    def operator():
        make_operator = request.getfixturevalue("make_operator")
        return make_operator("diemban", request.getfixturevalue("operator_org"))

    def _user(role):
        return {
            "office": lambda: office_user,
            "department": lambda: member("sct", permissions.DEPARTMENT_OF_INDUSTRY_AND_TRADE),
            "commune_officer": lambda: member("canbo", permissions.COMMUNE_OFFICER, commune=commune),
            "producer": lambda: member("chuthe", permissions.PRODUCER, producer=producer),
            "operator": operator,
            "anonymous": lambda: None,
        }[role]()

    return _user


@pytest.fixture
def signed_in(client, role_user):
    """A client signed in as the role's user; ``trace=True`` also grants the traceability model permissions, so
    that only the scope rule can stand between the user and another producer's rows."""

    def _signed_in(role, *, trace=False):
        user = role_user(role)
        if user is not None:
            if trace:
                user.user_permissions.add(*Permission.objects.filter(content_type__app_label="traceability"))
            client.force_login(user)
        return client

    return _signed_in


def gql(client, query, **variables):
    response = client.post("/graphql/", {"query": query, "variables": variables}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


# --- GraphQL ------------------------------------------------------------------------------------------------

PRODUCTS = "{ products(first: 100) { totalCount items { nameVi } } }"
PRODUCT = "query($id: ID!) { product(id: $id) { nameVi certificate { revocation { number reason } } } }"
CERTIFICATES = "{ certificates(first: 100) { items { product { nameVi } revocation { number reason } } } }"
PRODUCERS = "{ producers(first: 100) { items { name } } }"


@pytest.mark.parametrize("role", ROLES)
def test_graphql_lists_the_public_products_plus_the_roles_own(world, signed_in, role):
    data = gql(signed_in(role), PRODUCTS)["products"]

    assert {item["nameVi"] for item in data["items"]} == world.products(*READS[role])
    assert data["totalCount"] == len(READS[role])


@pytest.mark.parametrize("role", ROLES)
def test_graphql_product_by_id_is_null_outside_what_the_role_reads(world, signed_in, role):
    client = signed_in(role)

    found = {name for name in ALL if gql(client, PRODUCT, id=str(getattr(world, name).pk))["product"] is not None}

    assert found == set(READS[role])


@pytest.mark.parametrize("role", ROLES)
def test_graphql_revocation_reasons_reach_only_those_whose_scope_holds_the_certificate(world, signed_in, role):
    client = signed_in(role)

    certificates = gql(client, CERTIFICATES)["certificates"]["items"]
    by_id = gql(client, PRODUCT, id=str(world.other_revoked.pk))["product"]

    reasons = [c["revocation"]["reason"] for c in certificates if c["revocation"]]
    if role in SEES_EVERYTHING:
        assert reasons == [REVOCATION_REASON]
        assert by_id["certificate"]["revocation"] == {"number": world.revocation.number, "reason": REVOCATION_REASON}
    else:
        assert reasons == [] and by_id is None
        assert {c["product"]["nameVi"] for c in certificates} <= world.products(*READS[role])


def test_graphql_a_producer_reads_its_own_revocation_reason(world, client, member, other_producer):
    client.force_login(member("honey", permissions.PRODUCER, producer=other_producer))

    by_id = gql(client, PRODUCT, id=str(world.other_revoked.pk))["product"]

    assert by_id["certificate"]["revocation"]["reason"] == REVOCATION_REASON


@pytest.mark.parametrize("role", ROLES)
def test_graphql_producers_are_those_of_listable_products_plus_the_roles_own(
    world, signed_in, role, producer, other_producer
):
    names = {p["name"] for p in gql(signed_in(role), PRODUCERS)["producers"]["items"]}

    public = {producer.name, other_producer.name}  # both have a listable product
    neighbour = "Hộ Rượu cần Buôn Đôn"  # drafts only
    assert names == (public | {neighbour} if role in ("office", "department", "commune_officer") else public)


# --- Staff site (admin) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_admin_product_list_and_pages_hold_the_roles_scope_only(world, signed_in, role):
    client = signed_in(role)

    listing = client.get(reverse("admin:catalog_product_changelist"))

    if role == "anonymous":
        assert listing.status_code == 302 and "/admin/login/" in listing["Location"]
        return
    if role == "operator":
        assert listing.status_code == 403
        return
    page = listing.content.decode()
    assert {name for name in world.products(*ALL) if name in page} == world.products(*SCOPE[role])
    for name in ALL:
        response = client.get(reverse("admin:catalog_product_change", args=[getattr(world, name).pk]))
        # outside the scope the admin answers as for an unknown id (back to the index, "does not exist")
        assert response.status_code == (200 if name in SCOPE[role] else 302), name


@pytest.mark.parametrize("role", ROLES)
def test_admin_revocation_decision_of_another_producer(world, signed_in, role):
    """Only the office and the Department read Q's revocation decision; a producer (who may view its own
    decisions) finds it "does not exist", a commune officer and an operator may not view decisions at all."""
    client = signed_in(role)

    page = client.get(reverse("admin:catalog_certificationdecision_change", args=[world.revocation.pk]))
    listing = client.get(reverse("admin:catalog_certificationdecision_changelist"))

    expected = {
        "office": 200,
        "department": 200,
        "producer": 302,
        "commune_officer": 403,
        "operator": 403,
        "anonymous": 302,
    }[role]
    assert page.status_code == expected
    assert (REVOCATION_REASON in page.content.decode()) == (role in SEES_EVERYTHING)
    assert (world.revocation.number in listing.content.decode()) == (role in SEES_EVERYTHING)


def test_admin_decision_page_shows_a_producer_only_its_own_certificates(world, signed_in):
    page = signed_in("producer").get(
        reverse("admin:catalog_certificationdecision_change", args=[world.joint_decision.pk])
    )

    assert page.status_code == 200
    content = page.content.decode()
    assert world.own_listed.name_vi in content and world.other_listed.name_vi not in content


def test_admin_decision_page_shows_the_office_every_certificate(world, signed_in):
    content = (
        signed_in("office")
        .get(reverse("admin:catalog_certificationdecision_change", args=[world.joint_decision.pk]))
        .content.decode()
    )

    assert world.own_listed.name_vi in content and world.other_listed.name_vi in content


TRACE_PAGES = [
    ("lot", "other_lot", "OTHER-LOT-1"),
    ("item", "other_item", None),
    ("issuancejob", "other_issuance", "OTHER-LOT-1"),
    ("labelsheetjob", "other_labels", "OTHER-LOT-1"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "attribute", "marker"), TRACE_PAGES)
def test_traceability_admin_pages_of_another_producers_rows(world, signed_in, role, model, attribute, marker):
    client = signed_in(role, trace=True)
    obj = getattr(world, attribute)
    marker = marker or obj.serial

    listing = client.get(reverse(f"admin:traceability_{model}_changelist"))
    page = client.get(reverse(f"admin:traceability_{model}_change", args=[obj.pk]))

    if role == "anonymous":
        assert listing.status_code == 302 and page.status_code == 302
        assert "/admin/login/" in page["Location"]
        return
    sees = role in SEES_EVERYTHING  # Q's rows are in commune B: neither P nor commune A's officer may see them
    assert listing.status_code == 200
    assert (marker in listing.content.decode()) == sees
    assert page.status_code == (200 if sees else 302)


@pytest.mark.parametrize("role", ["commune_officer", "producer"])
def test_traceability_admin_lists_the_roles_own_lots(world, signed_in, role):
    client = signed_in(role, trace=True)

    listing = client.get(reverse("admin:traceability_lot_changelist")).content.decode()
    page = client.get(reverse("admin:traceability_lot_change", args=[world.own_lot.pk]))

    assert "OWN-LOT-1" in listing and "OTHER-LOT-1" not in listing and "DRAFT-LOT-1" not in listing
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("model", "marker"),
    [("scanevent", "bmt-airport"), ("serialflag", "other&#x27;s flag"), ("epcisevent", "OTHER-LOT-1")],
)
def test_traceability_admin_scans_flags_and_events_of_another_producer_are_absent(world, signed_in, model, marker):
    client = signed_in("producer", trace=True)

    listing = client.get(reverse(f"admin:traceability_{model}_changelist"))

    assert listing.status_code == 200 and marker not in listing.content.decode()
    signed_in("office", trace=True)
    assert marker in client.get(reverse(f"admin:traceability_{model}_changelist")).content.decode()


def test_traceability_admin_a_producer_cannot_create_a_lot_for_another_producers_product(world, signed_in):
    client = signed_in("producer", trace=True)

    response = client.post(
        reverse("admin:traceability_lot_add"),
        {
            "product": world.other_listed.pk,
            "number": "FORGED-1",
            "produced_on": "2026-01-05",
            "quantity": "5",
        },
    )

    assert response.status_code == 200  # the form again: another producer's product is not a valid choice
    assert not Lot.objects.filter(number="FORGED-1").exists()


# --- Staff JSON endpoints under /trace/ ---------------------------------------------------------------------

#: Roles whose scope holds P's lot (commune A); Q's lot (commune B) is only for those who see everything.
HOLDS_OWN = {"office", "department", "commune_officer", "producer"}


def trace_calls(world, which: str):
    lot, item, labels = (
        (world.own_lot, world.own_item, world.own_labels)
        if which == "own"
        else (world.other_lot, world.other_item, world.other_labels)
    )
    issuance = IssuanceJob.objects.get(lot=lot)
    return [
        ("post", f"/trace/lots/{lot.pk}/issuance", {"count": "3"}, 202),
        ("get", f"/trace/issuance/{issuance.pk}", None, 200),
        ("post", f"/trace/lots/{lot.pk}/labels", None, 202),
        ("get", f"/trace/labels/{labels.pk}", None, 200),
        ("get", f"/trace/labels/{labels.pk}/download", None, 200),
        ("get", f"/trace/items/{item.serial}/qr.svg", None, 200),
        ("get", f"/trace/items/{item.serial}/qr.png", None, 200),
        ("get", f"/trace/epcis/events?lot={lot.pk}", None, 200),
        ("get", f"/trace/epcis/events?item={item.serial}", None, 200),
    ]


def expected_status(role, url, success, allowed) -> int:
    if role == "anonymous":
        return 403 if "epcis" in url else 401  # EPCIS answers with its own SecurityException
    return success if allowed else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "other"])
def test_staff_json_endpoints_answer_404_outside_the_scope(
    world, signed_in, role, which, django_capture_on_commit_callbacks
):
    client = signed_in(role, trace=True)
    jobs_before = IssuanceJob.objects.count(), LabelSheetJob.objects.count()
    allowed = role in SEES_EVERYTHING or (which == "own" and role in HOLDS_OWN)

    for method, url, data, success in trace_calls(world, which):
        with django_capture_on_commit_callbacks(execute=False):
            response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == expected_status(role, url, success, allowed), (url, response.status_code)
    if not allowed:  # nothing was started on a lot outside the scope
        assert (IssuanceJob.objects.count(), LabelSheetJob.objects.count()) == jobs_before


# --- Portal pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_portal_lot_pages_of_another_producer_are_not_found(world, signed_in, role):
    client = signed_in(role)
    urls = [
        f"/portal/lots/{world.other_lot.pk}/",
        f"/portal/lots/{world.other_lot.pk}/qr.zip",
        f"/portal/lots/issuance/{world.other_issuance.pk}/",
        f"/portal/lots/labels/{world.other_labels.pk}/download/",
        f"/portal/lots/items/{world.other_item.serial}/qr.svg",
    ]

    for url in urls:
        response = client.get(url)
        if role == "producer":
            assert response.status_code == 404, url
        elif role == "anonymous":
            assert response.status_code == 302 and "/portal/applications/login/" in response["Location"], url
        else:
            assert response.status_code == 403, url  # not a producer account: no portal
    if role == "producer":
        listing = client.get("/portal/lots/").content.decode()
        assert "OWN-LOT-1" in listing and "OTHER-LOT-1" not in listing


def test_portal_listing_pages_hold_only_the_producers_own_products(world, signed_in):
    client = signed_in("producer")

    statuses = {
        name: client.get(reverse("listings:propose", args=[getattr(world, name).pk])).status_code for name in ALL
    }
    mine = client.get(reverse("listings:mine")).content.decode()

    assert statuses == {name: 200 if name in SCOPE["producer"] else 404 for name in ALL}
    assert {name for name in world.products(*ALL) if name in mine} == world.products(*SCOPE["producer"])


@pytest.mark.parametrize("role", ROLES)
def test_oversight_product_history_is_404_outside_the_scope(world, signed_in, role):
    client = signed_in(role)

    statuses = {
        name: client.get(reverse("oversight:product", args=[getattr(world, name).pk])).status_code for name in ALL
    }

    if role == "anonymous":
        assert set(statuses.values()) == {302}
    elif role == "operator":
        assert set(statuses.values()) == {403}
    else:
        assert statuses == {name: 200 if name in SCOPE[role] else 404 for name in ALL}


def test_the_invitation_page_lists_a_commune_officer_only_their_communes_producers(
    world, signed_in, producer, other_producer
):
    page = signed_in("commune_officer").get(reverse("applications:invite")).content.decode()

    assert producer.name in page and other_producer.name not in page


# --- Exports ------------------------------------------------------------------------------------------------


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_province_dashboard_export_is_for_the_office_and_the_department_only(world, signed_in, role):
    response = signed_in(role).get(reverse("integrations:ocop_dashboard") + "?format=xlsx")

    if role in SEES_EVERYTHING:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_producer_dashboard_export_holds_only_the_producers_own_rows(world, signed_in, role):
    response = signed_in(role).get(reverse("producer_portal:home") + "?format=xlsx")

    if role == "producer":
        text = xlsx_text(response.content)
        assert {name for name in world.products(*ALL) if name in text} == world.products(*SCOPE["producer"])
        assert world.other_item.serial not in text
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


# --- The public report page ---------------------------------------------------------------------------------


def test_the_report_page_names_only_a_listable_product_by_id(world, client):
    named = set()
    for name in ALL:
        product = getattr(world, name)
        url = reverse("oversight:report_form") + f"?product={product.pk}"
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()  # names in Vietnamese
        named |= {product.name_vi} & {n for n in world.products(*ALL) if n in page}

    assert named == world.products(*PUBLIC)


def test_the_report_page_does_not_name_a_draft_by_its_gtin(world, client):
    path = f"/01/{DRAFT_GTIN}/21/NOTOURS123"

    page = client.get(
        reverse("oversight:report_form"), {"code": "NOTOURS123", "path": path}, HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()

    assert world.other_draft.name_vi not in page and "NOTOURS123" in page


def test_the_report_page_names_the_product_of_a_scanned_serial(world, client):
    """The scan page's "report a problem" form sends the serial and the scanned path: its product is named, as
    the scan page itself names it, even when it is not listable."""
    scan = client.get(f"/q/{world.draft_item.serial}").content.decode()
    assert 'name="code" value="' in scan and 'action="/oversight/report/"' in scan

    page = client.get(
        reverse("oversight:report_form"),
        {"code": world.draft_item.serial, "path": f"/q/{world.draft_item.serial}"},
        HTTP_ACCEPT_LANGUAGE="vi",
    ).content.decode()

    assert world.other_draft.name_vi in page and "DRAFT-LOT-1" in page


def test_a_report_cannot_be_tied_to_a_draft_by_its_id(world, client, oversight_settings, send_report):
    response = send_report({"product": str(world.other_draft.pk)})

    assert response.status_code == 302
    assert Report.objects.get().product is None
    assert world.other_draft.name_vi not in client.get(response["Location"]).content.decode()


# --- The rule itself ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_one_rule_for_products_lots_items_jobs_scans_and_events(world, role_user, role):
    user = role_user(role)
    own = role in HOLDS_OWN
    everything = role in SEES_EVERYTHING

    assert {p.name_vi for p in permissions.scope(Product.objects.all(), user)} == world.products(*SCOPE[role])
    assert {p.name_vi for p in Product.objects.visible_to(user)} == world.products(*READS[role])
    for model, own_row, other_row in [
        (Lot, world.own_lot, world.other_lot),
        (Item, world.own_item, world.other_item),
        (IssuanceJob, IssuanceJob.objects.get(lot=world.own_lot), world.other_issuance),
        (LabelSheetJob, None, world.other_labels),
        (ScanEvent, None, ScanEvent.objects.get()),
        (SerialFlag, None, SerialFlag.objects.get()),
    ]:
        visible = set(permissions.scope(model.objects.all(), user))
        assert (other_row in visible) == everything, model
        if own_row is not None:
            assert (own_row in visible) == own, model
