"""The producer is told of every status change: in-app notices and email, sent only after commit."""

from django.core import mail

from catalog.applications import services
from catalog.applications.models import Application, Notice
from catalog.applications.tests.fixtures import ALL_CRITERIA_MET, ON_1489
from catalog.tests.fixtures import sent_mail


def test_status_changes_notify_every_account_of_the_producer_after_commit(
    member,
    producer,
    draft_application,
    commune_officer,
    django_capture_on_commit_callbacks,
):
    from catalog import permissions

    colleague = member("htx-colleague", permissions.PRODUCER, producer=producer)
    colleague.email = "colleague@htx.vn"
    colleague.save()
    application = draft_application()
    mail.outbox.clear()

    # when the application is submitted: nothing is emailed before the commit
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = services.submit_application(application=application, actor=application.created_by)
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    # then every account of the producer got a notice and the email
    assert sorted(sent_mail()[0].to) == ["colleague@htx.vn", "htx@example.vn"]
    assert Notice.objects.filter(link=f"/portal/applications/{application.pk}/").count() == 2

    # and the pre-assessment moving it to the province is notified too
    with django_capture_on_commit_callbacks(execute=True):
        services.record_commune_pre_assessment(
            application=application, criteria=ALL_CRITERIA_MET, on=ON_1489, actor=commune_officer
        )
    assert len(sent_mail()) == 2
    latest = Notice.objects.filter(user=colleague).first()
    assert str(Application.Status.SCORING.label) in latest.message
    assert Notice.objects.filter(user=colleague).count() == 2


def test_the_notices_page_lists_and_marks_read(producer_user, draft_application, client):
    application = draft_application()
    services.submit_application(application=application, actor=producer_user)
    client.force_login(producer_user)

    page = client.get("/portal/applications/notices/").content.decode()
    assert f"/portal/applications/{application.pk}/" in page
    assert "(1)" in page  # unread count in the header

    client.post("/portal/applications/notices/")
    assert not Notice.objects.filter(user=producer_user, read=False).exists()
