"""Portal pages: object-level permissions tested by URL, and the producer's and levels' forms."""

import pytest

from catalog.applications import services
from catalog.applications.models import Application, DocumentKind
from catalog.applications.tests.fixtures import ON_1489, pdf_bytes
from catalog.models import Level

Status = Application.Status


@pytest.fixture
def others_application(other_product, other_producer_user, make_upload):
    """An application of another producer (in another commune), with a document."""
    application = services.create_application(
        producer=other_product.producer, product=other_product, applied_on=ON_1489, actor=other_producer_user
    )
    for kind in DocumentKind.objects.filter(required=True):
        services.add_document(application=application, kind=kind, upload=make_upload(), actor=other_producer_user)
    return services.submit_application(application=application, actor=other_producer_user)


def test_a_producer_never_reaches_another_producers_application_or_documents(
    client,
    producer_user,
    others_application,
    make_upload,
):
    client.force_login(producer_user)
    pk = others_application.pk
    document = others_application.documents.first()
    documents_before = others_application.documents.count()

    assert client.get(f"/portal/applications/{pk}/").status_code == 404
    assert client.get(f"/portal/applications/documents/{document.pk}/").status_code == 404
    assert client.post(f"/portal/applications/{pk}/submit/").status_code == 404
    assert client.post(f"/portal/applications/{pk}/respond/", {"comment": "x"}).status_code == 404
    assert (
        client.post(
            f"/portal/applications/{pk}/documents/", {"kind": document.kind_id, "file": make_upload()}
        ).status_code
        == 404
    )
    assert client.get(f"/portal/applications/staff/{pk}/").status_code == 403
    assert f"/portal/applications/{pk}/" not in client.get("/portal/applications/").content.decode()
    others_application.refresh_from_db()
    assert others_application.documents.count() == documents_before
    assert others_application.status == Status.SUBMITTED


def test_a_producer_downloads_its_own_document(client, producer_user, draft_application):
    application = draft_application()
    document = application.documents.first()
    client.force_login(producer_user)

    response = client.get(f"/portal/applications/documents/{document.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (document.file.open("rb").read())
    assert document.original_name in response["Content-Disposition"]


def test_anonymous_visitors_are_sent_to_sign_in(client, draft_application):
    application = draft_application()

    for path in (
        f"/portal/applications/{application.pk}/",
        "/portal/applications/staff/",
        f"/portal/applications/documents/{application.documents.first().pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/portal/applications/login/")


def test_a_commune_officer_sees_only_the_own_communes_applications(
    client,
    commune_officer,
    submitted_application,
    others_application,
):
    mine = submitted_application()
    client.force_login(commune_officer)

    queue = client.get("/portal/applications/staff/").content.decode()

    assert f"/portal/applications/staff/{mine.pk}/" in queue
    assert f"/portal/applications/staff/{others_application.pk}/" not in queue
    assert client.get(f"/portal/applications/staff/{others_application.pk}/").status_code == 404
    document = others_application.documents.first()
    assert client.get(f"/portal/applications/documents/{document.pk}/").status_code == 404
    assert client.get(f"/portal/applications/documents/{mine.documents.first().pk}/").status_code == 200


def test_drafts_are_not_shown_to_the_levels(client, office_user, draft_application):
    application = draft_application()
    client.force_login(office_user)

    assert client.get(f"/portal/applications/staff/{application.pk}/").status_code == 404


def test_the_producer_applies_through_the_pages_and_sees_what_is_missing(client, producer_user, product):
    client.force_login(producer_user)

    # a new application for an existing product
    response = client.post(
        "/portal/applications/new/",
        {
            "product": product.pk,
            "local_raw_materials": "on",
            "self_score_a": "30",
            "self_score_b": "20",
            "self_score_c": "25",
        },
    )
    application = Application.objects.get()
    assert response["Location"] == f"/portal/applications/{application.pk}/"

    # submitting too early is refused with the missing documents named
    page = client.post(f"/portal/applications/{application.pk}/submit/", follow=True).content.decode()
    required = list(DocumentKind.objects.filter(required=True))
    assert all(kind.name_en in page for kind in required) and 'id="missing"' in page  # the page is in English
    application.refresh_from_db()
    assert application.status == Status.DRAFT

    # a bad file is refused on the page; good ones are stored, then the submission goes through
    page = client.post(
        f"/portal/applications/{application.pk}/documents/",
        {"kind": required[0].pk, "file": _upload("fake.pdf", b"not a pdf")},
        follow=True,
    ).content.decode()
    assert "fake.pdf" in page and application.documents.count() == 0
    for kind in required:
        client.post(
            f"/portal/applications/{application.pk}/documents/",
            {"kind": kind.pk, "file": _upload(f"{kind.code}.pdf", pdf_bytes())},
        )
    page = client.post(f"/portal/applications/{application.pk}/submit/", follow=True).content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert str(Status.SUBMITTED.label) in page


def test_the_levels_act_through_their_pages(client, commune_officer, submitted_application, province_council):
    application = submitted_application()

    # the province cannot act out of turn: the page says why and nothing changes
    client.force_login(province_council["member"])
    page = client.post(
        f"/portal/applications/staff/{application.pk}/score/",
        {"level": Level.PROVINCE, "score_a": "30", "score_b": "20", "score_c": "25"},
        follow=True,
    ).content.decode()
    assert "commune" in page.lower() and not application.council_scores.exists()

    # the commune pre-assesses through its page
    client.force_login(commune_officer)
    client.post(
        f"/portal/applications/staff/{application.pk}/pre-assessment/",
        {
            "level": Level.COMMUNE,
            "local_raw_materials": "on",
            "local_labour": "on",
            "local_idea": "on",
            "local_identity": "on",
        },
    )
    application.refresh_from_db()
    assert (application.status, application.current_level) == (Status.SCORING, Level.PROVINCE)

    # the province member now scores, and the chair sees the close form
    client.force_login(province_council["member"])
    client.post(
        f"/portal/applications/staff/{application.pk}/score/",
        {"level": Level.PROVINCE, "score_a": "30", "score_b": "20", "score_c": "25"},
    )
    assert application.council_scores.get().score_a == 30
    client.force_login(province_council["chair"])
    assert "/close/" in client.get(f"/portal/applications/staff/{application.pk}/").content.decode()


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_list_pages_cost_the_same_queries_for_one_or_many_applications(
    client,
    producer_user,
    office_user,
    producer,
    coffee_group,
    make_upload,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user, path):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        shown = response.content.decode().count("Sản phẩm ")  # one row per application on both lists
        return len(captured), shown

    def submitted_application(n=[0]):  # noqa: B006 - a counter for product names
        n[0] += 1
        application = services.create_application(
            producer=producer,
            actor=producer_user,
            applied_on=ON_1489,
            new_product={"name_vi": f"Sản phẩm {n[0]}", "group": coffee_group},
        )
        for kind in DocumentKind.objects.filter(required=True):
            services.add_document(application=application, kind=kind, upload=make_upload(), actor=producer_user)
        services.submit_application(application=application, actor=producer_user)

    submitted_application()
    one = (queries(producer_user, "/portal/applications/"), queries(office_user, "/portal/applications/staff/"))
    for _ in range(3):
        submitted_application()
    many = (queries(producer_user, "/portal/applications/"), queries(office_user, "/portal/applications/staff/"))

    assert [shown for _count, shown in one] == [1, 1] and [shown for _count, shown in many] == [4, 4]
    assert [count for count, _shown in one] == [count for count, _shown in many]


def test_the_authority_issues_the_decision_from_the_application_page(
    client,
    scoring_application,
    province_council,
    producer_user,
):
    import datetime

    application = scoring_application()
    services.record_council_score(
        application=application,
        level=Level.PROVINCE,
        score_a=30,
        score_b=20,
        score_c=25,
        actor=province_council["member"],
    )
    services.close_scoring(
        application=application, level=Level.PROVINCE, on=datetime.date(2025, 10, 1), actor=province_council["chair"]
    )
    client.force_login(province_council["authority"])

    # the page offers the decision with the stars from the council and the authority prefilled
    page = client.get(f"/portal/applications/staff/{application.pk}/").content.decode()
    assert "4★" in page and 'value="UBND tỉnh Đắk Lắk"' in page

    # only the number and date are typed
    client.post(
        f"/portal/applications/staff/{application.pk}/decision/",
        {
            "level": Level.PROVINCE,
            "number": "88/QĐ-UBND",
            "signed_on": "2025-10-20",
            "authority_name": "UBND tỉnh Đắk Lắk",
        },
    )

    application.refresh_from_db()
    assert application.status == Status.CERTIFIED and application.certificate.stars == 4
    client.force_login(producer_user)
    page = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "88/QĐ-UBND" in page and 'id="certificate"' in page
