"""``{% photo image alt=… sizes=… %}``: a published photo as a responsive ``<picture>`` (WebP, JPEG fallback)."""

from django import template
from django.utils.html import format_html

from ocop.files import renditions

register = template.Library()


@register.simple_tag
def photo(image, alt="", sizes="(min-width: 48rem) 50vw, 100vw", css_class="", lazy=True):
    if not image:
        return ""
    loading = "lazy" if lazy else "eager"
    found = renditions.sources(image)
    if found is None:  # a photo saved before its renditions were made
        return format_html(
            '<img src="{}" alt="{}" class="{}" loading="{}" decoding="async">', image.url, alt, css_class, loading
        )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" class="{}" loading="{}" decoding="async"></picture>',
        found.webp,
        sizes,
        found.fallback,
        found.jpeg,
        sizes,
        alt,
        css_class,
        loading,
    )
