"""Re-evaluation prompts 90 and 30 days before a certificate's last valid day, and a renewal prefilled from the
last application."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse

from catalog import formats
from catalog.applications import keys
from catalog.applications.models import (
    Application,
    ReevaluationPrompt,
)
from catalog.models import Certificate, Producer, Product
from catalog.querysets import local_today

from .notifying import notify_producer

REEVALUATION_PROMPT_DAYS = (90, 30)


def renewal_link(product: Product) -> str:
    return reverse("applications:new") + f"?renew={product.pk}"


def send_reevaluation_prompts(*, today: datetime.date | None = None) -> int:
    """Prompt producers 90 and 30 days before a certificate's last valid day. Each prompt is sent once."""
    today = today or local_today()
    horizon = today + datetime.timedelta(days=max(REEVALUATION_PROMPT_DAYS))
    due = Certificate.objects.filter(
        status=Certificate.Status.ACTIVE, valid_until__gte=today, valid_until__lte=horizon
    ).values_list("pk", "valid_until")
    sent = 0
    for pk, valid_until in list(due):
        days_left = (valid_until - today).days
        threshold = min(days for days in REEVALUATION_PROMPT_DAYS if days_left <= days)
        if ReevaluationPrompt.objects.filter(certificate_id=pk, days_before=threshold).exists():
            continue
        try:
            with transaction.atomic():
                ReevaluationPrompt.objects.create(certificate_id=pk, days_before=threshold)
                certificate = Certificate.objects.select_related("product__producer").get(pk=pk)
                product = certificate.product
                notify_producer(
                    product.producer,
                    key=keys.REEVALUATION_DUE,
                    params={
                        "product": product.names,
                        "stars": certificate.stars,
                        "until": formats.date(valid_until),
                        "days": days_left,
                    },
                    link=renewal_link(product),
                )
        except IntegrityError:  # another run sent it at the same moment
            continue
        sent += 1
    return sent


def prefill_from_last(producer: Producer, product_id) -> tuple[Product | None, dict, Application | None]:
    """Initial data of a re-evaluation application: the product and the last application's self-assessment."""
    product = Product.objects.filter(producer=producer, pk=product_id).first() if product_id else None
    if product is None:
        return None, {}, None
    last = Application.objects.filter(producer=producer, product=product).order_by("-created_at", "-pk").first()
    initial = {"product": product.pk}
    if last is not None:
        initial.update({name: getattr(last, name) for name in Application.CRITERIA})
        initial.update({f"self_score_{p}": getattr(last, f"self_score_{p}") for p in "abc"})
    return product, initial, last
