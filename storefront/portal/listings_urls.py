"""Producers' listing pages and the OCOP office's review queue, mounted at /portal/listings/."""

from django.urls import path

from . import listings as portal

app_name = "listings"
urlpatterns = [
    path("", portal.my_listings, name="mine"),
    path("<int:product_id>/propose/", portal.propose, name="propose"),
    path("review/", portal.review_queue, name="review_queue"),
    path("review/<int:pk>/", portal.review, name="review"),
    path("changes/<int:pk>/photo/", portal.proposed_photo, name="photo"),
]
