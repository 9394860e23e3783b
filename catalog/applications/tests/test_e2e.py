"""End to end in headless Chromium: a producer signs in, submits an application with a document, sees its status."""

import pytest
from django.utils import translation

from catalog.applications.models import Application, DocumentKind
from catalog.applications.tests.fixtures import pdf_bytes


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_producer_submits_an_application_with_a_document_and_sees_its_status(
    live_server,
    browser_page,
    producer_user,
    product,
    tmp_path,
):
    # given one required kind of document (the list of required kinds is data)
    registration = DocumentKind.objects.get(code="registration_form")
    DocumentKind.objects.exclude(pk=registration.pk).update(required=False)
    dossier = tmp_path / "phieu-dang-ky.pdf"
    dossier.write_bytes(pdf_bytes("Phiếu đăng ký"))
    page = browser_page

    # when the producer signs in and opens a new application for the product
    page.goto(live_server.url + "/portal/applications/login/")
    page.fill("input[name=username]", "htx-user")
    page.fill("input[name=password]", "pw-htx-user-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/")  # a producer lands on its portal's dashboard
    page.click("#nav-applications-list")
    page.click("a[href='/portal/applications/new/']")
    page.select_option("select[name=product]", str(product.pk))
    for criterion in ("local_raw_materials", "local_labour", "local_idea", "local_identity"):
        page.check(f"input[name={criterion}]")
    page.fill("input[name=self_score_a]", "30")
    page.fill("input[name=self_score_b]", "20")
    page.fill("input[name=self_score_c]", "25")
    page.click("#new-application button[type=submit]")

    # then the missing document is named; the producer uploads it and submits
    assert registration.name in page.locator("#missing").inner_text()
    page.select_option("#upload select[name=kind]", str(registration.pk))
    page.set_input_files("#upload input[name=file]", str(dossier))
    page.click("#upload button[type=submit]")
    assert "phieu-dang-ky.pdf" in page.locator("#documents").inner_text()
    page.click("#submit button[type=submit]")

    # and sees the status, at the commune level
    with translation.override("vi"):
        expected = str(Application.Status.SUBMITTED.label)
    assert page.locator("#status").inner_text() == expected
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED and application.documents.count() == 1
    page.click("#nav-applications-notices")
    assert f"/portal/applications/{application.pk}/" in page.locator("#notices").inner_html()
