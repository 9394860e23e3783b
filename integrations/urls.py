from django.urls import path

from .feeds import views as feeds
from .salespoints import api
from .salespoints import views as portal

app_name = "integrations"

urlpatterns = [
    path("feeds/google-merchant.xml", feeds.google_feed, name="google_feed"),
    path("feeds/meta-catalog.csv", feeds.meta_feed, name="meta_feed"),
    path("api/sales-points/assortment/", api.assortment, name="sales_point_assortment"),
    path("api/sales-points/reports/", api.report_api, name="sales_point_report_api"),
    path("api/sales-points/<int:pk>/labels/", api.shelf_labels, name="sales_point_labels"),
    # The sales-point portal (Department staff and operators) and the dashboards.
    path("points/", portal.point_list, name="point_list"),
    path("points/map.svg", portal.point_map, name="point_map"),
    path("points/<int:pk>/", portal.point_detail, name="point_detail"),
    path("points/inspection-photos/<int:pk>/", portal.inspection_photo, name="inspection_photo"),
    path("points/<int:pk>/status/", portal.point_status, name="point_status"),
    path("points/<int:pk>/assortment/", portal.assortment_add, name="assortment_add"),
    path("points/<int:pk>/assortment/<int:product_id>/remove/", portal.assortment_remove, name="assortment_remove"),
    path("points/<int:pk>/report/", portal.report_form, name="report_form"),
    path("points/reports/upload/", portal.report_upload, name="report_upload"),
    path("points/reports/template.csv", portal.report_template, name="report_template"),
    path("points/notices/", portal.notices, name="notices"),
    path("dashboards/ocop/", portal.ocop_dashboard, name="ocop_dashboard"),
    path("dashboards/sales-points/", portal.department_dashboard, name="department_dashboard"),
]
