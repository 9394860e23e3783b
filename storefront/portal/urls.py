"""The producers' portal home, mounted at /portal/ (lots, listings and applications have their own prefixes)."""

from django.urls import path

from . import home as producer_portal

app_name = "producer_portal"
urlpatterns = [
    path("", producer_portal.dashboard, name="home"),
]
