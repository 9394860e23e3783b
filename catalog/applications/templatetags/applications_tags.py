from django import template

from .. import services
from ..models import Notice

register = template.Library()


@register.simple_tag
def unread_notices(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(user=user, read=False).count()


@register.simple_tag
def is_level_staff(user) -> bool:
    return services.is_level_staff(user)
