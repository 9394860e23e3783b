"""The site's URLs plus /media/ served from MEDIA_ROOT the way development serves it (``static()`` with DEBUG on):
the old entry point of uploaded files, so the tests can try it as an attacker would."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from ocop.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
