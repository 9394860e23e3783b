"""The pipeline of potential products in the communes, and the applications they become."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.applications.models import Application
from catalog.permissions import can_access
from catalog.querysets import local_today

from ..models import PotentialProduct
from ..permissions import manages_programme

#: Topic of the outbox event recorded when what the public sees of an event changes.
from .rules import (
    commune_of,
    refuse_unless,
)


@transaction.atomic
def record_potential_product(*, potential: PotentialProduct, actor) -> PotentialProduct:
    """A commune officer records (or edits) a potential product of their own commune."""
    commune = commune_of(actor)
    refuse_unless(commune is not None or manages_programme(actor), _("Only a commune officer may do this."))
    if commune is not None:
        refuse_unless(
            potential.pk is None or potential.commune_id == commune.pk,
            _("This potential product belongs to another commune."),
        )
        potential.commune = commune
    if potential.producer_id and potential.producer.commune_id != potential.commune_id:
        raise ValidationError(
            {"producer": ValidationError(_("This producer is registered in another commune."), code="not_allowed")}
        )
    creating = potential.pk is None
    if creating:
        potential.recorded_by = actor
        potential.recorded_on = potential.recorded_on or local_today()
    potential.full_clean()
    potential.save()
    audit.log(actor=actor, action="potential.recorded" if creating else "potential.changed", instance=potential)
    return potential


@transaction.atomic
def link_application(*, potential: PotentialProduct, application: Application, actor) -> PotentialProduct:
    """The potential product has become an application in the producers' portal: link the two.

    The application must be one the actor may see (the one rule) and of a producer of the potential product's
    commune; from then on its stage follows the application.
    """
    potential = PotentialProduct.objects.select_for_update().get(pk=potential.pk)
    refuse_unless(
        can_access(actor, potential) and (manages_programme(actor) or commune_of(actor) is not None),
        _("Only the commune's officer may do this."),
    )
    refuse_unless(
        can_access(actor, application) if commune_of(actor) else True, _("This application is not in your commune.")
    )
    if application.producer.commune_id != potential.commune_id:
        raise ValidationError(
            {"application": ValidationError(_("This application is from another commune."), code="not_allowed")}
        )
    if PotentialProduct.objects.filter(application=application).exclude(pk=potential.pk).exists():
        raise ValidationError(
            {
                "application": ValidationError(
                    _("This application already follows another potential product."), code="taken"
                )
            }
        )
    before = audit.snapshot(potential)
    potential.application = application
    potential.producer = application.producer
    potential.dropped = False
    try:
        with transaction.atomic():
            potential.save(update_fields=["application", "producer", "dropped"])
    except IntegrityError as exc:
        raise ValidationError(_("This application already follows another potential product."), code="taken") from exc
    audit.log(actor=actor, action="potential.linked", instance=potential, before=before)
    return potential
