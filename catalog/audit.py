"""The append-only audit trail of registry changes: who, when, what before and after."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from .models import AuditLogEntry

SYSTEM_ACTOR = "system"


def snapshot(instance) -> dict:
    """A JSON-safe picture of a model instance's concrete fields (files as their names)."""
    data = model_to_dict(instance, fields=[field.name for field in instance._meta.concrete_fields])
    data["id"] = instance.pk
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def log(*, actor, action: str, instance, before: dict | None = None, after: dict | None = None) -> AuditLogEntry:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLogEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else SYSTEM_ACTOR,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        before=before,
        after=after if after is not None else snapshot(instance),
    )


def history_of(instance):
    return AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    )
