"""Money on screen as Vietnamese readers write it: 12.640.000 ₫ (``{% load money %}`` then ``|vnd``); the same
formatting as ``vn_money`` (``catalog.formats``), under the name the programme's templates use."""

from django import template

from catalog import formats

register = template.Library()
vnd = register.filter("vnd", formats.money)
