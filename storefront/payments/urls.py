from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("bank-statement/", views.bank_statement_webhook, name="bank_statement"),
    path("vnpay/ipn/", views.vnpay_ipn, name="vnpay_ipn"),
]
