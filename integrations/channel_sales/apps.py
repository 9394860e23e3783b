from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelSalesConfig(AppConfig):
    name = "integrations.channel_sales"
    label = "channel_sales"
    verbose_name = _("Sales across every channel")
