"""Traceability URLs, included at the site root: GS1 Digital Link paths, short URIs, the resolver, /trace/."""

from django.urls import path

from . import views

app_name = "traceability"
urlpatterns = [
    # GS1 Digital Link: the path after /01/ is parsed by biip in the view.
    path("01/<path:rest>", views.gs1_item, name="gs1_item"),
    path("q/<str:serial>", views.short_item, name="short_item"),
    path(".well-known/gs1resolver", views.resolver_description, name="resolver_description"),
    path("trace/scan-location", views.scan_location, name="scan_location"),
    path("trace/lots/<int:lot_id>/issuance", views.start_issuance, name="start_issuance"),
    path("trace/issuance/<int:job_id>", views.issuance_progress, name="issuance_progress"),
    path("trace/lots/<int:lot_id>/labels", views.start_label_sheet, name="start_label_sheet"),
    path("trace/labels/<int:job_id>", views.label_progress, name="label_progress"),
    path("trace/labels/<int:job_id>/download", views.label_download, name="label_download"),
    path("trace/items/<str:serial>/qr.svg", views.item_qr_svg, name="item_qr_svg"),
    path("trace/items/<str:serial>/qr.png", views.item_qr_png, name="item_qr_png"),
    path("trace/approvals/", views.approval_list, name="approvals"),
    path("trace/approvals/<str:kind>/<int:job_id>/<str:decision>/", views.decide, name="approval_decide"),
    path("trace/epcis/capture", views.epcis_capture, name="epcis_capture"),
    path("trace/epcis/events", views.epcis_events, name="epcis_events"),
]
