from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("report/", views.report, name="report_form"),
    path("report/sent/", views.report_sent, name="report_sent"),
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/photo", views.report_photo, name="report_photo"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("evidence/<int:pk>", views.evidence_file, name="evidence"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("products/<int:pk>/", views.product_history, name="product"),
]
