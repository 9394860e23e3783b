"""Re-evaluation prompts 90 and 30 days before a certificate's last valid day, each sent once."""

import datetime

from catalog.applications import services, tasks
from catalog.applications.models import Notice, ReevaluationPrompt
from catalog.applications.services import prompts
from catalog.applications.tests.fixtures import ON_1489
from catalog.tests.fixtures import sent_mail


def test_producers_are_prompted_90_and_30_days_before_expiry_once_each(
    product,
    producer_user,
    certify,
    django_capture_on_commit_callbacks,
):
    certificate = certify(product)
    last_day = certificate.valid_until

    def run(days_before):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_reevaluation_prompts(today=last_day - datetime.timedelta(days=days_before))

    # 91 days before: nothing yet; 90 days: the first prompt; the next days and a rerun: nothing new
    assert run(91) == 0
    assert run(90) == 1
    assert (run(90), run(89), run(31)) == (0, 0, 0)
    # 30 days before: the second prompt, once
    assert run(30) == 1
    assert (run(30), run(5)) == (0, 0)

    assert sorted(ReevaluationPrompt.objects.values_list("days_before", flat=True)) == [30, 90]
    notices = list(Notice.objects.filter(user=producer_user).order_by("created_at", "pk"))
    assert len(notices) == 2 and len(sent_mail()) == 2
    assert last_day.strftime("%d/%m/%Y") in notices[0].message
    assert notices[0].link == f"/portal/applications/new/?renew={product.pk}"


def test_a_certificate_found_late_gets_only_the_nearest_prompt(product, producer_user, certify):
    certificate = certify(product)

    sent = services.send_reevaluation_prompts(today=certificate.valid_until - datetime.timedelta(days=20))

    assert sent == 1
    assert list(ReevaluationPrompt.objects.values_list("days_before", flat=True)) == [30]


def test_the_beat_task_runs_the_prompts(product, producer_user, certify, monkeypatch):
    certificate = certify(product)
    monkeypatch.setattr(prompts, "local_today", lambda: certificate.valid_until - datetime.timedelta(days=90))

    assert tasks.send_reevaluation_prompts() == 1
    assert tasks.send_reevaluation_prompts() == 0


def test_the_prompt_link_opens_a_new_application_prefilled_from_the_last_one(
    product,
    producer_user,
    draft_application,
    client,
):
    from catalog.applications.models import Application

    # given the last application of the product, closed as certified
    last = draft_application(applied_on=ON_1489, complete=False)
    Application.objects.filter(pk=last.pk).update(status=Application.Status.CERTIFIED)
    client.force_login(producer_user)

    response = client.get(services.renewal_link(product))

    form = response.context["form"]
    assert response.context["previous"] == last
    assert form.initial["product"] == product.pk
    assert form.initial["self_score_a"] == last.self_score_a and form.initial["local_identity"] is True

    # when the producer posts the prefilled form, the new application remembers the last one
    data = {**{k: v for k, v in form.initial.items() if v not in (False, None)}, "previous": last.pk}
    response = client.post("/portal/applications/new/", data)
    new = Application.objects.exclude(pk=last.pk).get()
    assert response.status_code == 302 and new.previous == last and new.self_score_a == last.self_score_a
