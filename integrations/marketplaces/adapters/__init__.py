"""Marketplace adapters: one per platform, all behind ``base.Adapter``."""

from .base import Adapter, Rejected, Retryable, TokenInvalid
from .lazada import LazadaAdapter
from .shopee import ShopeeAdapter
from .tiki import TikiAdapter
from .tiktok import TikTokAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    "shopee": ShopeeAdapter,
    "lazada": LazadaAdapter,
    "tiktok": TikTokAdapter,
    "tiki": TikiAdapter,
}


def adapter_for(destination, **kwargs) -> Adapter:
    return ADAPTERS[destination.kind](destination, **kwargs)


__all__ = ["ADAPTERS", "Adapter", "Rejected", "Retryable", "TokenInvalid", "adapter_for"]
