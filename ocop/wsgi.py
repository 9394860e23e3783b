import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
django_application = get_wsgi_application()

# The public scan pages (/01/…, /q/…) skip the URL resolver and the middleware they do not need.
from traceability.scan_app import dispatch  # noqa: E402 - after Django is set up

application = dispatch(django_application)

# Everything loaded so far lives as long as the process: keep it out of the garbage collector's full
# collections, which otherwise walk it all and stall requests (p99 latency).
gc.freeze()
