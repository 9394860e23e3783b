"""Fuzzed submissions of the public report form: never a server error, every valid report stored exactly once.

The oracle below says which submissions are valid without using the form's own code: a report needs a known
type, a description that is not empty once control characters are dropped (at most 5,000 characters), a
language of the site, the challenge answered, and any contact or photo given must be well-formed.
"""

import time
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from traceability.oversight import abuse
from traceability.oversight.models import Report
from traceability.oversight.tests.fixtures import png_bytes

pytestmark = pytest.mark.django_db

PHOTO_LIMIT = 4000
ODD = [
    "\u202eevil.exe\u202c",
    "\u200b\u200c\u200d\ufeff",
    "👨‍👩‍👧‍👦🇻🇳",
    "\x00\x00",
    "Cà phê\x00 Buôn Ma Thuột",
    "שלום مرحبا",
    "e\u0301",
    "\r\n\r\n",
    "<script>alert(1)</script>",
    "%00",
    "' OR 1=1 --",
    "\ud7ff\U0010ffff",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(ODD), max_size=6).map("".join),
    st.integers(4990, 5010).map(lambda n: "ạ" * n),
    st.tuples(st.text(max_size=20), st.sampled_from(ODD), st.text(max_size=20)).map("".join),
)
EMAILS = {"": True, "nguoi.mua@example.vn": True, "not-an-email": False, "x@\u202e.vn": False, "a@b@c": False}
PHONES = {"": True, "0912345678": True, "+84 912 345 678": True, "12": False, "phone☎": False, "\x00": True}


def _photos():
    big = png_bytes((60, 60), noise=True)
    assert len(big) > PHOTO_LIMIT
    return {
        "none": (None, True),
        "png": (("pic.png", png_bytes()), True),
        "png named txt": (("note.txt", png_bytes()), True),
        "pdf named jpg": (("photo.jpg", b"%PDF-1.4\n" + b"0" * 500), False),
        "oversized": (("big.png", big), False),
        "empty": (("empty.png", b""), False),
        "truncated png": (("cut.png", png_bytes()[:40]), False),
        "text": (("a.png", "chữ \x00".encode()), False),
        "odd name": (("\u202egnp.exe\x00.png", png_bytes()), True),
    }


PHOTOS = _photos()


def _expected_text(raw: str) -> str:
    kept = "".join(
        c for c in raw.replace("\r\n", "\n").replace("\r", "\n") if c in "\n\t" or unicodedata.category(c) != "Cc"
    )
    return unicodedata.normalize("NFC", kept).strip()


def mostly(valid: list, invalid: list, weight: int = 6):
    """Valid values ``weight`` times as often as each invalid one, so that many submissions are wholly valid."""
    return st.sampled_from(valid * weight + invalid)


submissions = st.fixed_dictionaries(
    {
        "kind": mostly(Report.Kind.values, ["", "bogus", "counterfeit\x00"], weight=3),
        "text": texts,
        "language": mostly(["vi", "en"], ["fr", ""]),
        "contact_email": mostly([e for e, ok in EMAILS.items() if ok], [e for e, ok in EMAILS.items() if not ok], 3),
        "contact_phone": mostly([p for p, ok in PHONES.items() if ok], [p for p, ok in PHONES.items() if not ok], 3),
        "code": st.text(max_size=80),
        "path": st.one_of(st.text(max_size=40), st.just("/01/08934602001238/10/L1/21/ABC")),
        "product": st.sampled_from(["", "abc", "99999999999999999999999", "١٢", "-1", "1"]),
        "website": mostly([""], ["http://spam"], weight=10),
        "photo": mostly([k for k, (_, ok) in PHOTOS.items() if ok], [k for k, (_, ok) in PHOTOS.items() if not ok], 3),
        "missing": st.one_of(
            st.just(set()),
            st.just(set()),
            st.just(set()),
            st.sets(st.sampled_from(["kind", "text", "language", "challenge", "answer"]), max_size=2),
        ),
    }
)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(submission=submissions)
def test_fuzzed_reports_never_fail_and_every_valid_one_is_stored_exactly_once(
    client, fresh_address, oversight_settings, submission
):
    oversight_settings.OVERSIGHT_MAX_PHOTO_BYTES = PHOTO_LIMIT
    challenge = abuse.new_challenge(now=time.time() - 30)
    form = {
        key: submission[key]
        for key in ("kind", "text", "language", "contact_email", "contact_phone", "code", "path", "product", "website")
    }
    form.update(challenge=challenge.token, answer=str(challenge.answer))
    for key in submission["missing"]:
        form.pop(key)
    photo, photo_ok = PHOTOS[submission["photo"]]
    expected_text = _expected_text(submission["text"])
    valid = (
        "kind" in form
        and submission["kind"] in Report.Kind.values
        and "text" in form
        and 0 < len(expected_text) <= 5000
        and "language" in form
        and submission["language"] in ("vi", "en")
        and not {"challenge", "answer"} & submission["missing"]
        and EMAILS[submission["contact_email"]]
        and PHONES[submission["contact_phone"]]
        and not submission["website"]
        and photo_ok
    )

    event("valid" if valid else "invalid")

    def send():
        data = dict(form)
        if photo is not None:
            data["photo"] = SimpleUploadedFile(photo[0], photo[1])
        return client.post("/oversight/report/", data, REMOTE_ADDR=fresh_address())

    first = send()  # the test client raises any exception a view lets escape: no server error is possible unseen
    stored = Report.objects.filter(submission_key=challenge.nonce)
    if valid:
        assert first.status_code == 302, first.context["form"].errors if first.context else first
        assert send().status_code == 302  # sent again (a double click, a retry): still one report
        report = stored.get()
        assert report.text == expected_text and report.kind == submission["kind"]
        assert bool(report.photo) == (photo is not None)
    else:
        assert first.status_code == 200
        assert first.context["form"].errors
        assert not stored.exists()


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    code=st.text(max_size=120),
    path=st.one_of(st.text(max_size=120), st.sampled_from(ODD)),
    product=st.text(max_size=25),
)
def test_the_form_opens_for_any_code_address_or_product_it_is_given(client, code, path, product):
    response = client.get("/oversight/report/", {"code": code, "path": path, "product": product})

    assert response.status_code == 200
    assert response.context["form"]["code"].value() == _expected_text(code)[:64]
