"""Product photos: responsive sizes in WebP and JPEG made at upload, shown as a <picture>, taken by the feeds;
the demo's own illustrations."""

import io

from django.core.files.base import ContentFile
from django.template import Context, Template
from PIL import Image

from catalog import demo_images
from integrations.offers import _image_url
from ocop.files import renditions


def _photo(width=1600, height=1200, image_format="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b6b3a").save(buffer, format=image_format)
    return buffer.getvalue()


def test_an_uploaded_photo_gets_webp_and_jpeg_sizes_shown_as_a_picture(db, product):
    product.image.save("from-the-phone.png", ContentFile(_photo()), save=True)
    storage, name = product.image.storage, product.image.name

    for width in renditions.WIDTHS:
        with storage.open(renditions.rendition_name(name, width, "webp")) as webp:
            assert Image.open(webp).format == "WEBP" and Image.open(webp).width == width
        with storage.open(renditions.rendition_name(name, width, "jpg")) as jpeg:
            assert Image.open(jpeg).format == "JPEG" and Image.open(jpeg).size == (width, width * 3 // 4)

    html = Template('{% load photos %}{% photo image alt="Cà phê" %}').render(Context({"image": product.image}))
    assert html.startswith('<picture><source type="image/webp"')
    assert "-w320.webp 320w" in html and "-w1024.jpg 1024w" in html and 'alt="Cà phê"' in html
    assert 'src="/media/' in html and "-w640.jpg" in html  # the JPEG fallback for browsers without WebP


def test_a_small_photo_gets_only_the_sizes_it_reaches_and_deleting_it_deletes_them(db, product):
    product.image.save("small.jpg", ContentFile(_photo(500, 500, "JPEG")), save=True)
    storage, name = product.image.storage, product.image.name

    assert storage.exists(renditions.rendition_name(name, 320, "jpg"))
    assert not storage.exists(renditions.rendition_name(name, 640, "jpg"))
    storage.delete(name)
    assert not storage.exists(renditions.rendition_name(name, 320, "webp"))


def test_feeds_take_the_largest_jpeg_and_a_product_without_photo_the_placeholder_card(db, product, settings):
    assert _image_url(product) == settings.INTEGRATIONS_PLACEHOLDER_IMAGE_URL
    product.image.save("photo.png", ContentFile(_photo()), save=True)
    assert _image_url(product).endswith("-w1024.jpg")


def test_the_demo_illustration_is_a_jpeg_card_per_product(db, product):
    card = Image.open(
        io.BytesIO(demo_images.illustration(name=product.name_vi, group_code="2", group_name="Đồ uống", stars=5))
    )
    assert card.format == "JPEG" and card.size == (demo_images.SIZE, demo_images.SIZE)

    assert demo_images.illustrate_products(type(product).objects.all()) == 1
    product.refresh_from_db()
    assert product.image and renditions.sources(product.image) is not None
    assert demo_images.illustrate_products(type(product).objects.all()) == 0  # idempotent
