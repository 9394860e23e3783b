"""Accent folding of Vietnamese text, the same way PostgreSQL's ``unaccent`` and Elasticsearch's
``asciifolding`` do it: diacritics dropped, đ/Đ folded to d, lower case."""

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """The folded words of a query, without punctuation (safe to put in a tsquery)."""
    return _WORD.findall(fold(text))
