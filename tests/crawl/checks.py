"""What the crawl checks on one open page, in the page itself (one round trip each): sideways scroll, controls
covered by something else, text left in the other language, axe-core's serious and critical violations."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "data" / "axe.min.js"

#: Names written the same in English and Vietnamese text (the province's name is Đắk Lắk in both), and the
#: Vietnamese word English text quotes on purpose (the one printed on the producer's papers).
PROPER_NAMES = ("Đắk Lắk", "Buôn Ma Thuột", "Phú Yên", "(nhãn hiệu)")
#: Vietnamese letters no English word uses.
VIETNAMESE = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
#: English words of the interface that no Vietnamese sentence holds (not "in", "to", "an", "on": Vietnamese words).
ENGLISH_WORDS = (
    "the|and|of|your|with|this|that|are|from|for|is|has|have|not|will|been|there|which|"
    "sign in|sign out|save|cancel|search|submit|back|next|previous|edit|delete|download|upload|status|"
    "name|date|total|page|products|events|cart|dashboard|notices|applications|yes|none"
)

SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const overflow = document.documentElement.scrollWidth - width;
  if (overflow <= 1) return null;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    const sticksOut = e => e.getBoundingClientRect().right > width + 1;
    return sticksOut(el) && r.width > 0 && ![...el.children].some(sticksOut);
  });
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  return `scrolls sideways by ${overflow}px (${wide.slice(0, 3).map(name).join(', ') || '?'})`;
}"""

#: Table cells squeezed narrower than their words (a column of one letter per line): a cell under 3 em wide
#: holding a word of 6 letters or more must have broken it.
CRUSHED = """() => {
  const crushed = [...document.querySelectorAll('td, th')].filter(cell => {
    const width = cell.getBoundingClientRect().width;
    return width > 0 && width < 3 * parseFloat(getComputedStyle(cell).fontSize) && /[^\\s]{6,}/.test(cell.textContent);
  });
  if (!crushed.length) return null;
  const table = crushed[0].closest('table');
  return `${crushed.length} table cells narrower than their words (table${table.id ? '#' + table.id : ''})`;
}"""

#: A control is covered when the point at its centre belongs to something that neither holds it nor is held by it
#: (its own label aside): e.g. a fieldset drawn over the submit button.
COVERED = """() => {
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const found = [];
  const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea');
  for (const el of controls) {
    if (el.closest('.leaflet-container, [hidden], .hp, .skip-link')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || getComputedStyle(el).visibility === 'hidden') continue;
    const x = r.left + window.scrollX + r.width / 2, y = r.top + window.scrollY + r.height / 2;
    if (x < 0 || x > document.documentElement.clientWidth) continue;  // scrolled away inside its own box
    window.scrollTo(0, y - window.innerHeight / 2);
    const hit = document.elementFromPoint(x - window.scrollX, y - window.scrollY);
    if (!hit || el.contains(hit) || hit.contains(el)) continue;
    const label = hit.closest('label');
    if (label && (label.control === el || label.contains(el))) continue;
    found.push(`${name(el)} covered by ${name(hit)}`);
  }
  window.scrollTo(0, 0);
  return found.slice(0, 5);
}"""

#: Text of the page in the other language: Vietnamese letters on an English page, English words on a Vietnamese
#: page, once the data stored in the database (see stored_data) is taken out, and outside elements marked as
#: written in the other language (``lang="vi"``, e.g. the Vietnamese column names a spreadsheet must carry). Reads
#: text nodes, the title and the attributes a person reads or hears.
OTHER_LANGUAGE = """({language, vietnamese, english, data}) => {
  const pattern = language === 'en' ? new RegExp(`[${vietnamese}]`, 'iu') : new RegExp(`\\\\b(${english})\\\\b`, 'i');
  const found = new Set();
  const check = (text, shown) => {
    if (text && pattern.test(text) && pattern.test(data.reduce((left, value) => left.split(value).join(' '), text))) {
      found.add(shown);
    }
  };
  const inLanguage = el => {
    const marked = el.closest('[lang]');
    return !marked || marked.getAttribute('lang').split('-')[0] === language;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, noscript, template') || !inLanguage(parent)) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    check(text, text.slice(0, 80));
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], img[alt], input[type=submit]')) {
    if (!inLanguage(el)) continue;
    for (const attribute of ['placeholder', 'title', 'aria-label', 'alt', 'value']) {
      const text = el.getAttribute(attribute);
      if (attribute !== 'value' || el.type === 'submit') check(text, `${attribute}="${(text || '').slice(0, 60)}"`);
    }
  }
  check(document.title, `title: ${document.title}`);
  return [...found].slice(0, 8);
}"""


def other_language_arguments(language: str) -> dict:
    """OTHER_LANGUAGE's argument for pages in ``language`` (reads the database: once per crawl)."""
    return {
        "language": language,
        "vietnamese": VIETNAMESE,
        "english": ENGLISH_WORDS.replace(" ", "\\s+"),
        "data": sorted({*PROPER_NAMES, *stored_data()}, key=len, reverse=True),
    }


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target.join(' ')}));
}"""


def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


#: Stored text of the interface, shown in the reader's language (each has a field per language, or is a message
#: key's old text): not data.
INTERFACE_FIELDS = {
    "applications.Notice.text",
    "integrations.OperatorNotice.subject",
    "integrations.OperatorNotice.text",
    "applications.DocumentKind.name",
    "applications.DocumentKind.name_en",
    *(
        f"{model}.{name}_{language}"
        for model, name in (
            ("catalog.ProductGroup", "name"),
            ("catalog.ProductSubGroup", "name"),
            ("integrations.LocationKind", "name"),
            ("integrations.PointCriterion", "title"),
            ("oversight.ChecklistItem", "text"),
        )
        for language in ("vi", "en")
    ),
}
#: Copies of other fields (the search index, the audit log): neither data nor interface of their own.
COPIES = ("storefront.SearchEntry.", "storefront.SearchWord.", "catalog.AuditLogEntry.")
PROJECT_APPS = ("catalog", "traceability", "storefront", "integrations", "ocop")


def stored_data() -> list[str]:
    """Text typed into the database (names, addresses, places, people, notes, descriptions in either language),
    shown as it was written whatever the reader's language."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import models

    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith(PROJECT_APPS):
            continue
        for field in model._meta.get_fields():
            label = f"{model._meta.label}.{field.name}"
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                continue
            if label in INTERFACE_FIELDS or label.startswith(COPIES) or label.endswith(("_encrypted", "_hash")):
                continue
            found.update(model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True).distinct())
    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        found.update({f"{first} {last}".strip(), f"{last} {first}".strip()})
    return [text for text in found if text and len(text) > 2]
