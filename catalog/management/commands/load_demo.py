"""Load the demo registry (idempotent): producers, products, decisions, revocations and the staff accounts.

The store, traceability and sales-point parts of the demo are loaded by their own packages' commands
(``load_demo_store``, ``load_demo_trace``, ``load_demo_points``), which build on this registry.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from catalog import addresses, demo_data, demo_images, permissions, services
from catalog.accounts.models import ProducerTie
from catalog.evaluation_path import record_path
from catalog.models import Certificate, CertificationDecision, Commune, Membership, Producer, Product, ProductSubGroup
from catalog.validators import normalize_gtin


class Command(BaseCommand):
    help = "Load demo OCOP producers, products and decisions for Đắk Lắk (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        demo_data.refuse_outside_development(self)
        communes = {
            key: Commune.objects.get_or_create(name=name, district="", province="Đắk Lắk")[0]
            for key, (name, _former) in demo_data.COMMUNES.items()
        }
        producers = {}
        for key, kind, name, number, representative, commune in demo_data.PRODUCERS:
            producers[key], _ = Producer.objects.get_or_create(
                registration_number=number,
                defaults={
                    "kind": kind,
                    "name": name,
                    "representative": representative,
                    "commune": communes[commune],
                    "former_address": addresses.old_address(*demo_data.COMMUNES[commune][1]),
                },
            )
        products = []
        for producer, name_vi, name_en, subgroup_code, gtin in demo_data.PRODUCTS:
            subgroup = ProductSubGroup.objects.select_related("group").get(code=subgroup_code)
            product, _ = Product.objects.get_or_create(
                producer=producers[producer],
                name_vi=name_vi,
                defaults={
                    "name_en": name_en,
                    "group": subgroup.group,
                    "subgroup": subgroup,
                    "gtin": normalize_gtin(gtin) if gtin else "",
                    "description_vi": f"{name_vi} — sản phẩm OCOP của {producers[producer].name}.",
                    "description_en": f"{name_en} — an OCOP product of {producers[producer].name}.",
                    "story_vi": f"{producers[producer].name} gìn giữ cách làm truyền thống của vùng đất Đắk Lắk.",
                    "story_en": f"{producers[producer].name} keeps the traditional craft of Đắk Lắk alive.",
                },
            )
            products.append(product)
        for number, signed_on, level, authority, awards in demo_data.DECISIONS:
            if CertificationDecision.objects.filter(number=number).exists():
                continue
            for i, stars in awards:  # the commune's pre-assessment and the councils' evaluations it rests on
                record_path(products[i], stars=stars, on=signed_on, level=level)
            services.issue_certification(
                number=number,
                signed_on=signed_on,
                authority_level=level,
                authority_name=authority,
                awards=[services.Award(product=products[i], stars=stars) for i, stars in awards],
                actor=None,
            )
        for number, signed_on, level, authority, reason, indexes in demo_data.REVOCATIONS:
            if CertificationDecision.objects.filter(number=number).exists():
                continue
            services.revoke_certificates(
                number=number,
                signed_on=signed_on,
                authority_level=level,
                authority_name=authority,
                reason=reason,
                certificates=list(
                    Certificate.objects.filter(
                        product__in=[products[i] for i in indexes], status=Certificate.Status.ACTIVE
                    )
                ),
                actor=None,
            )
        self._load_users(communes, producers)
        illustrated = demo_images.illustrate_products(Product.objects.filter(pk__in=[p.pk for p in products]))
        listable = Product.objects.listable().count()
        self.stdout.write(
            f"Demo registry: {Product.objects.count()} products, {listable} listable today, "
            f"{CertificationDecision.objects.count()} decisions, {illustrated} illustrations drawn."
        )
        self.stdout.write(f"Demo staff accounts (password '{demo_data.DEMO_PASSWORD}'):")
        self.stdout.write("    admin — superuser")
        for username, role, commune, producer in demo_data.DEMO_USERS:
            scope = communes[commune] if commune else producers[producer] if producer else None
            self.stdout.write(f"    {username} — {getattr(permissions, role)}" + (f" ({scope.name})" if scope else ""))

    def _load_users(self, communes, producers):
        users = get_user_model()
        if not users.objects.filter(username="admin").exists():
            users.objects.create_superuser("admin", "admin@example.invalid", demo_data.DEMO_PASSWORD)
        for username, role, commune, producer in demo_data.DEMO_USERS:
            # Demo accounts are established ones (past their probation), so the demo prints labels at once.
            user, created = users.objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "date_joined": timezone.now() - demo_data.DEMO_ACCOUNT_AGE},
            )
            if created:
                user.set_password(demo_data.DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=getattr(permissions, role)))
            if commune or producer:
                Membership.objects.get_or_create(
                    user=user, defaults={"commune": communes.get(commune), "producer": producers.get(producer)}
                )
            if producer:
                ProducerTie.objects.get_or_create(
                    user=user,
                    active=True,
                    defaults={
                        "producer": producers[producer],
                        "via": ProducerTie.Via.EXISTING,
                        "tied_at": user.date_joined,
                    },
                )
