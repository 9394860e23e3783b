from django.urls import path

from . import views

app_name = "channel_sales"
urlpatterns = [
    path("sales/", views.sales_page, name="sales"),
    path("consolidated/", views.consolidated_report, name="consolidated"),
]
