from django.urls import path

from . import programme, views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product_list"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("combos/", views.combo_list, name="combo_list"),
    path("combos/<slug:slug>/", views.combo_detail, name="combo"),
    path("combos/<slug:slug>/add/", views.cart_add_combo, name="combo_add"),
    path("cart/", views.cart_view, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/delivery/", views.checkout_delivery, name="checkout_delivery"),
    path("checkout/payment/", views.checkout_payment, name="checkout_payment"),
    path("checkout/confirmation/", views.order_confirmation, name="order_confirmation"),
    path("orders/lookup/", views.order_lookup, name="order_lookup"),
    path("events/", programme.event_list, name="events"),
    path("events.ics", programme.calendar, name="events_ics"),
    path("events/<int:pk>/", programme.event_detail, name="event"),
]
