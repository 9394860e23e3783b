from csp.decorators import csp_exempt
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from . import health
from .api import LimitedGraphQLView

admin.site.site_header = "OCOP Đắk Lắk"
admin.site.site_title = "OCOP Đắk Lắk"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Read-only API: queries only, no session-authenticated mutations, so CSRF does not apply. Limits: ocop/api.
    # GraphiQL's page sets its own Content-Security-Policy (with a nonce): the site-wide one is left off it.
    path("graphql/", csp_exempt()(csrf_exempt(LimitedGraphQLView.as_view(graphiql=True))), name="graphql"),
    path("catalog/", include("catalog.urls")),
    path("register/", include("catalog.register.urls")),  # the public register of certified products
    path("", include("traceability.urls")),  # /01/…, /q/…, /.well-known/gs1resolver, /trace/…
    path("dashboards/", include("integrations.channel_sales.urls")),  # sales in every channel, consolidated report
    path("", include("integrations.urls")),  # feeds/ and api/sales-points/
    path("saleor-app/", include("storefront.saleor_app.urls")),
    path("payments/", include("storefront.payments.urls")),
    # The producers' portal (storefront.portal): applications, lots, listings and the dashboard.
    path("portal/applications/", include("storefront.portal.applications_urls", namespace="applications")),
    path("portal/lots/", include("storefront.portal.lots_urls", namespace="producer_lots")),
    path("portal/listings/", include("storefront.portal.listings_urls", namespace="listings")),
    path("portal/events/", include("storefront.portal.events_urls", namespace="programme_portal")),
    path("portal/", include("storefront.portal.urls", namespace="producer_portal")),
    path("programme/", include("catalog.programme.urls", namespace="programme")),
    path("oversight/", include("traceability.oversight.urls")),  # reports, inspections, revocations
    # The consumers' storefront, at the root: keep it last.
    path("", include("storefront.urls")),
]
handler500 = "ocop.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
