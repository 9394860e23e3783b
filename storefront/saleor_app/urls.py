from django.urls import path

from . import views

app_name = "saleor_app"

urlpatterns = [
    path("manifest/", views.manifest, name="manifest"),
    path("", views.app, name="app"),
    path("register/", views.register, name="register"),
    path("webhooks/", views.webhook, name="webhook"),
    path("webhooks/payments/", views.payment_webhook, name="payment_webhook"),
]
