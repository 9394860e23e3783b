"""Writing checked rows: producers and products created or updated where a value differs, decisions issued through
the registry's services (its audit trail and outbox events), a decision already recorded skipped."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from catalog import addresses, audit, services
from catalog.error_codes import CatalogErrorCode
from catalog.models import (
    Certificate,
    CertificationDecision,
    Commune,
    Level,
    Producer,
    Product,
)

from .parsing import Row
from .refusals import _AWARD_CODES, _SERVICE_FIELDS, _add_validation_error, _validation_errors
from .results import ImportResult, Tally
from .template import DECISION_COLUMNS, PRODUCER_COLUMNS, PRODUCER_FIELDS, PRODUCT_COLUMNS


class Rollback(Exception):
    """Undo the dry run of one row (or the whole import) after the services accepted it."""


def _merged(rows: list[Row], columns) -> dict[str, str]:
    """The first non-empty value of each column over the rows (they agree, see consistency.check_consistency)."""
    return {column: next((row.values[column] for row in rows if row.values[column]), "") for column in columns}


class Writer:
    def __init__(self, rows: list[Row], result: ImportResult, headers: dict, actor):
        self.rows, self.result, self.headers, self.actor = rows, result, headers, actor
        self.products: dict[tuple, Product] = {}
        self.communes: dict[tuple, Commune] = {}

    def error(self, row: Row, column: str | None, message, code=CatalogErrorCode.INVALID.value, **params):
        self.result.add(
            message, row=row.number, column=column, header=self.headers.get(column, ""), code=code, **params
        )

    def run(self) -> None:
        by_producer: dict[str, list[Row]] = {}
        for row in self.rows:
            by_producer.setdefault(row.registration_number, []).append(row)
        for rows in by_producer.values():
            producer = self.producer(rows)
            by_product: dict[str, list[Row]] = {}
            for row in rows:
                by_product.setdefault(row.values["product_name"], []).append(row)
            for product_rows in by_product.values():
                product = self.product(producer, product_rows)
                if product is not None:
                    self.products[product_rows[0].product_key] = product
        if self.result.errors:
            return
        by_decision: dict[str, list[Row]] = {}
        for row in self.rows:
            by_decision.setdefault(row.values["decision_number"], []).append(row)
        for rows in sorted(by_decision.values(), key=lambda rows: (rows[0].decision_date, rows[0].number)):
            self.decision(rows)

    # Communes and producers

    def commune(self, values: dict[str, str]) -> Commune:
        """Found or created by (province, district, name), ignoring case."""
        key = tuple(values[column].casefold() for column in ("province", "district", "commune"))
        if key in self.communes:
            return self.communes[key]
        lookup = {
            "province__iexact": values["province"],
            "district__iexact": values["district"],
            "name__iexact": values["commune"],
        }
        commune = Commune.objects.filter(**lookup).order_by("pk").first()
        if commune is not None:
            self.result.communes.unchanged += 1
        else:
            commune = Commune.objects.create(
                province=values["province"], district=values["district"], name=values["commune"]
            )
            audit.log(actor=self.actor, action="commune.created", instance=commune)
            self.result.communes.created += 1
        self.communes[key] = commune
        return commune

    def producer(self, rows: list[Row]) -> Producer:
        values = _merged(rows, PRODUCER_COLUMNS)
        # An address from before 07/2025 (with its district) goes to the commune that took it over; the old
        # address is kept on the producer (catalog.addresses).
        unit = addresses.convert(values["commune"], values["district"], values["province"])
        former = ""
        if unit is not None:
            former = addresses.old_address(
                values["commune"], values["district"], values["province"], values["address_line"]
            )
            values = {**values, "commune": unit.name, "district": "", "province": unit.province}
        commune = self.commune(values)
        wanted = {"kind": rows[0].producer_kind, "commune": commune}
        if former:
            wanted["former_address"] = former
        wanted.update({field: values[column] for column, field in PRODUCER_FIELDS.items() if values[column]})
        registration = rows[0].registration_number
        producer = Producer.objects.filter(registration_number=registration).first()
        if producer is None:
            producer = Producer.objects.create(registration_number=registration, **wanted)
            audit.log(actor=self.actor, action="producer.created", instance=producer)
            self.result.producers.created += 1
            return producer
        self._update(producer, wanted, "producer.updated", self.result.producers)
        return producer

    def product(self, producer: Producer, rows: list[Row]) -> Product | None:
        values = _merged(rows, ["product_name", *PRODUCT_COLUMNS])
        first = rows[0]
        group = next((row.group for row in rows if row.group), None)
        subgroup = next((row.subgroup for row in rows if row.subgroup), None)
        gtin = next((row.gtin for row in rows if row.gtin), "")
        product = Product.objects.filter(producer=producer, name_vi=values["product_name"]).first()
        if gtin:
            taken = Product.objects.filter(gtin=gtin).exclude(pk=product.pk if product else None).first()
            if taken is not None:
                gtin_row = next(row for row in rows if row.gtin)
                self.error(
                    gtin_row,
                    "gtin",
                    _("GTIN %(gtin)s already belongs to “%(product)s” in the registry."),
                    gtin=gtin,
                    product=str(taken),
                )
                return None
        wanted: dict[str, Any] = {"group": group}
        if subgroup is not None:
            wanted["subgroup"] = subgroup
        elif product is not None and product.subgroup_id and product.subgroup.group_id != group.pk:
            wanted["subgroup"] = None
        if gtin:
            wanted["gtin"] = gtin
        if values["product_name_en"]:
            wanted["name_en"] = values["product_name_en"]
        if values["brand"]:
            wanted["brand"] = values["brand"]
        try:
            with transaction.atomic():
                if product is None:
                    product = Product.objects.create(producer=producer, name_vi=values["product_name"], **wanted)
                    audit.log(actor=self.actor, action="product.created", instance=product)
                    self.result.products.created += 1
                    return product
                self._update(product, wanted, "product.updated", self.result.products)
        except IntegrityError as exc:  # a race with another writer; the check above covers the known cases
            self.error(first, None, _("This row could not be saved: %(error)s"), error=str(exc).splitlines()[0])
            return None
        return product

    def _update(self, instance, wanted: dict, action: str, tally: Tally) -> None:
        changed = [field for field, value in wanted.items() if getattr(instance, field) != value]
        if not changed:
            tally.unchanged += 1
            return
        before = audit.snapshot(instance)
        for field in changed:
            setattr(instance, field, wanted[field])
        instance.save(update_fields=[*changed, "updated_at"])
        audit.log(actor=self.actor, action=action, instance=instance, before=before)
        tally.updated += 1

    # Decisions

    def decision(self, rows: list[Row]) -> None:
        first = rows[0]
        number = first.values["decision_number"]
        existing = CertificationDecision.objects.filter(number=number).first()
        if existing is not None:
            self.compare_existing(existing, rows)
            return
        awards = [services.Award(product=self.products[row.product_key], stars=row.stars) for row in rows]
        # Imported decisions are past years' records: marked as history, they rest on no recorded evaluation.
        header = {
            "number": number,
            "signed_on": first.decision_date,
            "authority_level": first.authority_level,
            "authority_name": first.values["authority_name"],
            "stated_valid_until": first.valid_until,
            "history": True,
        }
        try:
            services.issue_certification(**header, awards=awards, actor=self.actor)
        except ValidationError as exc:
            self.refused(rows, header, exc)
            return
        self.result.decisions.created += 1
        self.result.certificates.created += len(rows)

    def refused(self, rows: list[Row], header: dict, exc: ValidationError) -> None:
        """Put a refusal on the rows it concerns: a header refusal on the decision's first row, an award
        refusal on each row it applies to (found by offering each row alone, then rolling back)."""
        award_problem = any(error.code in _AWARD_CODES for _field, error in _validation_errors(exc))
        if not award_problem or len(rows) == 1:
            _add_validation_error(
                self.result, exc, rows[0].number, "decision_number", self.headers, fields=_SERVICE_FIELDS
            )
            return
        for row in rows:
            try:
                with transaction.atomic():
                    services.issue_certification(
                        **header,
                        awards=[services.Award(product=self.products[row.product_key], stars=row.stars)],
                        actor=self.actor,
                    )
                    raise Rollback
            except Rollback:
                continue
            except ValidationError as row_exc:
                _add_validation_error(
                    self.result, row_exc, row.number, "decision_number", self.headers, fields=_SERVICE_FIELDS
                )

    def compare_existing(self, decision: CertificationDecision, rows: list[Row]) -> None:
        number = decision.number
        if decision.kind != CertificationDecision.Kind.CERTIFICATION:
            self.error(
                rows[0],
                "decision_number",
                _("Decision %(number)s is already in the registry as a revocation decision."),
                CatalogErrorCode.DUPLICATE_DECISION.value,
                number=number,
            )
            return
        recorded = {
            "decision_date": decision.signed_on.strftime("%d/%m/%Y"),
            "authority_level": decision.authority_level,
            "authority_name": decision.authority_name,
        }
        given = {
            "decision_date": rows[0].values["decision_date"],
            "authority_level": rows[0].authority_level,
            "authority_name": rows[0].values["authority_name"],
        }
        differs = False
        for column in DECISION_COLUMNS:
            if recorded[column] != given[column]:
                differs = True
                shown = Level(recorded[column]).label if column == "authority_level" else recorded[column]
                self.error(
                    rows[0],
                    column,
                    _("Decision %(number)s is already in the registry with a different value here (“%(other)s”)."),
                    CatalogErrorCode.DUPLICATE_DECISION.value,
                    number=number,
                    other=shown,
                )
        if differs:
            return
        stars = dict(Certificate.objects.filter(decision=decision).values_list("product_id", "stars"))
        for row in rows:
            product = self.products[row.product_key]
            if product.pk not in stars:
                self.error(
                    row,
                    "product_name",
                    _(
                        "Decision %(number)s is already in the registry and does not list this product; "
                        "a recorded decision cannot be changed by an import."
                    ),
                    CatalogErrorCode.DUPLICATE_DECISION.value,
                    number=number,
                )
            elif stars[product.pk] != row.stars:
                self.error(
                    row,
                    "stars",
                    _("Decision %(number)s is already in the registry with %(stars)s★ for this product."),
                    CatalogErrorCode.DUPLICATE_DECISION.value,
                    number=number,
                    stars=stars[product.pk],
                )
            else:
                self.result.certificates.unchanged += 1
        self.result.decisions.unchanged += 1
