"""Fixtures of the applications: producer accounts, level seats, dossier files, applications at each step."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.pdfgen import canvas

from catalog import permissions
from catalog.applications import services
from catalog.applications.models import DocumentKind, LevelSeat
from catalog.models import Level

#: Dates under each rule set (148/QĐ-TTg from 24/02/2023, 1489/QĐ-TTg from 06/07/2025).
ON_148 = datetime.date(2024, 3, 1)
ON_1489 = datetime.date(2025, 9, 1)
DISTRICT = "Thành phố Buôn Ma Thuột"
#: How old the fixtures' producer accounts are: past the probation of new accounts (catalog.accounts).
ESTABLISHED = datetime.timedelta(days=30)
PROVINCE = "Đắk Lắk"


def pdf_bytes(text: str = "OCOP") -> bytes:
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.drawString(72, 720, text)
    document.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def documents_root(settings):
    """The private store, where dossier files go (each test has its own: see the root conftest)."""
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def make_upload():
    def _make_upload(name: str = "dossier.pdf", content: bytes | None = None):
        return SimpleUploadedFile(name, pdf_bytes() if content is None else content)

    return _make_upload


@pytest.fixture
def district_commune(commune):
    """The fixtures' commune, placed in a district (as before the 2025 reorganisation)."""
    commune.district = DISTRICT
    commune.save()
    return commune


@pytest.fixture
def producer_user(member, producer, documents_root):
    user = member("htx-user", permissions.PRODUCER, producer=producer)
    user.email = "htx@example.vn"
    user.is_staff = False
    user.date_joined = timezone.now() - ESTABLISHED  # past its probation: prints labels without approval
    user.save()
    return user


@pytest.fixture
def other_producer_user(member, other_producer, documents_root):
    user = member("honey-user", permissions.PRODUCER, producer=other_producer)
    user.is_staff = False
    user.email = "honey@example.vn"
    user.date_joined = timezone.now() - ESTABLISHED
    user.save()
    return user


@pytest.fixture
def commune_officer(member, commune):
    return member("commune-officer", permissions.COMMUNE_OFFICER, commune=commune)


@pytest.fixture
def other_commune_officer(member, other_commune):
    return member("ea-kao-officer", permissions.COMMUNE_OFFICER, commune=other_commune)


@pytest.fixture
def seat(django_user_model):
    """Create a user holding a seat: ``seat("name", Level.DISTRICT, DISTRICT, LevelSeat.Role.CHAIR)``."""

    def _seat(username, level, area, role):
        user = django_user_model.objects.create_user(username, password=f"pw-{username}-123", is_staff=True)
        LevelSeat.objects.create(user=user, level=level, area=area, role=role)
        return user

    return _seat


@pytest.fixture
def district_council(seat):
    return {
        "member": seat("district-member", Level.DISTRICT, DISTRICT, LevelSeat.Role.MEMBER),
        "chair": seat("district-chair", Level.DISTRICT, DISTRICT, LevelSeat.Role.CHAIR),
        "authority": seat("district-committee", Level.DISTRICT, DISTRICT, LevelSeat.Role.AUTHORITY),
    }


@pytest.fixture
def province_council(seat):
    return {
        "member": seat("province-member", Level.PROVINCE, PROVINCE, LevelSeat.Role.MEMBER),
        "chair": seat("province-chair", Level.PROVINCE, PROVINCE, LevelSeat.Role.CHAIR),
        "authority": seat("province-committee", Level.PROVINCE, PROVINCE, LevelSeat.Role.AUTHORITY),
    }


SELF_ASSESSMENT = {
    "local_raw_materials": True,
    "local_labour": True,
    "local_idea": True,
    "local_identity": True,
    "self_score_a": Decimal("30"),
    "self_score_b": Decimal("18"),
    "self_score_c": Decimal("25"),
}
ALL_CRITERIA_MET = dict.fromkeys(("local_raw_materials", "local_labour", "local_idea", "local_identity"), True)


@pytest.fixture
def draft_application(product, producer_user, make_upload):
    """A draft for the fixtures' product, dated ``applied_on``, with every required document when ``complete``."""

    def _draft(*, applied_on=ON_1489, complete=True):
        application = services.create_application(
            producer=product.producer,
            product=product,
            self_assessment=SELF_ASSESSMENT,
            applied_on=applied_on,
            actor=producer_user,
        )
        if complete:
            for kind in DocumentKind.objects.filter(required=True, active=True):
                services.add_document(
                    application=application, kind=kind, upload=make_upload(f"{kind.code}.pdf"), actor=producer_user
                )
        return application

    return _draft


@pytest.fixture
def submitted_application(draft_application, producer_user):
    def _submitted(*, applied_on=ON_1489):
        return services.submit_application(application=draft_application(applied_on=applied_on), actor=producer_user)

    return _submitted


@pytest.fixture
def scoring_application(submitted_application, commune_officer):
    """An application past the commune pre-assessment, at its rule set's first scoring level."""

    def _scoring(*, applied_on=ON_1489, assessed_on=None):
        return services.record_commune_pre_assessment(
            application=submitted_application(applied_on=applied_on),
            criteria=ALL_CRITERIA_MET,
            on=assessed_on or applied_on + datetime.timedelta(days=7),
            actor=commune_officer,
        )

    return _scoring
