"""The producers' portal pages for lots, mounted at /portal/lots/."""

from django.urls import path

from . import lots as portal

app_name = "producer_lots"
urlpatterns = [
    path("", portal.lot_list, name="list"),
    path("<int:pk>/", portal.lot_detail, name="detail"),
    path("<int:pk>/issuance/", portal.start_issuance, name="issue"),
    path("<int:pk>/labels/", portal.start_label_sheet, name="labels"),
    path("<int:pk>/qr.zip", portal.lot_qr_zip, name="qr_zip"),
    path("issuance/<int:job_id>/", portal.issuance_progress, name="issuance_progress"),
    path("labels/<int:job_id>/download/", portal.label_download, name="label_download"),
    path("items/<str:serial>/qr.svg", portal.item_qr, {"kind": "svg"}, name="item_qr_svg"),
    path("items/<str:serial>/qr.png", portal.item_qr, {"kind": "png"}, name="item_qr_png"),
]
