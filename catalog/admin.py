"""The staff site of the registry, for the province's OCOP office and the roles around it.

Rows are scoped per user (catalog.permissions.scope) in every list, form and object URL: hiding a link
is not the protection. Certification changes go through catalog.services, which audit them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ocop.staff_site import NoAdding, NoChanging, NoDeleting, ShownInline, ViewOnly

from . import audit, permissions, services
from .forms import AwardFormSet, CertificationHeaderForm, RevocationForm, apply_validation_error
from .models import (
    AuditLogEntry,
    Certificate,
    CertificationDecision,
    Commune,
    Evaluation,
    LevelRule,
    Membership,
    PreAssessment,
    Producer,
    Product,
    ProductGroup,
    ProductSubGroup,
    RuleSet,
    StarBand,
)


class ScopedAdmin(NoDeleting, admin.ModelAdmin):
    """Lists and object pages show only the rows the user may see; other ids answer 'not found'."""

    #: Choices of these related models are scoped too (a producer cannot pick another producer's product).
    scoped_choices = (Producer, Product, Commune)

    def get_queryset(self, request):
        return permissions.scope(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_access(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_access(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.related_model in self.scoped_choices:
            field.queryset = permissions.scope(field.queryset, request.user)
        return field


class ScopedInline(admin.TabularInline):
    """Rows shown inside another object's page are scoped too: a decision naming several producers' products
    shows a producer only its own certificates."""

    def get_queryset(self, request):
        return permissions.scope(super().get_queryset(request), request.user)


class AuditedAdmin(ScopedAdmin):
    """Edits made in the admin are written to the audit trail with before and after."""

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = f"{obj._meta.model_name}.{'changed' if change else 'created'}"
            audit.log(actor=request.user, action=action, instance=obj, before=before)


@admin.register(Commune)
class CommuneAdmin(ScopedAdmin):
    list_display = ["name", "district", "province", "code"]
    list_filter = ["province"]
    search_fields = ["name", "district", "code"]


class SubGroupInline(admin.TabularInline):
    model = ProductSubGroup
    extra = 0


@admin.register(ProductGroup)
class ProductGroupAdmin(NoDeleting, admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en"]
    inlines = [SubGroupInline]


class StarBandInline(admin.TabularInline):
    model = StarBand
    extra = 0


class LevelRuleInline(admin.TabularInline):
    model = LevelRule
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(NoDeleting, admin.ModelAdmin):
    """A future decision is added here as data: weights, star bands and what each level does."""

    list_display = [
        "code",
        "effective_from",
        "max_score_a",
        "max_score_b",
        "max_score_c",
        "validity_months",
        "validity_counting",
    ]
    inlines = [LevelRuleInline, StarBandInline]


class ProductInline(ShownInline, ScopedInline):
    model = Product
    fields = ["name_vi", "group", "certified_stars", "certified_until", "certificate_revoked"]
    show_change_link = True


@admin.register(Producer)
class ProducerAdmin(AuditedAdmin):
    list_display = ["name", "kind", "registration_number", "commune", "representative"]
    list_filter = ["kind", "commune__province"]
    search_fields = ["name", "registration_number", "representative", "former_address"]
    autocomplete_fields = ["commune"]
    inlines = [ProductInline]


@admin.display(description=_("listable today"), boolean=True)
def listable_today(product):
    return product.is_listable()


@admin.register(Product)
class ProductAdmin(AuditedAdmin):
    list_display = ["name_vi", "producer", "group", "certified_stars", "certified_until", listable_today]
    list_filter = ["group", "certified_stars", "certificate_revoked", "producer__commune"]
    search_fields = ["name_vi", "name_en", "brand", "gtin", "producer__name"]
    list_select_related = ["producer", "group"]
    autocomplete_fields = ["producer"]
    readonly_fields = ["current_certificate", "certified_stars", "certified_until", "certificate_revoked"]

    def save_model(self, request, obj, form, change):
        if obj.gtin:
            from .validators import normalize_gtin

            obj.gtin = normalize_gtin(obj.gtin)
        super().save_model(request, obj, form, change)


class ServiceCreatedAdmin(NoChanging, ScopedAdmin):
    """Rows created only through a service (which validates and audits); never edited afterwards.

    The add page is a plain form whose data goes to ``perform``; a refusal from the service is shown
    on the form, with everything the user typed kept.
    """

    add_fields: list[str] = []

    def perform(self, request, data):
        raise NotImplementedError

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form_class = forms.modelform_factory(self.model, fields=self.add_fields)
        form = form_class(request.POST or None)
        for name in ("product",):
            if name in form.fields:
                form.fields[name].queryset = permissions.scope(form.fields[name].queryset, request.user)
        if request.method == "POST" and form.is_valid():
            try:
                created = self.perform(request, form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                self.message_user(request, _("Recorded: %s") % created, messages.SUCCESS)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", created.pk)
        return TemplateResponse(
            request,
            "admin/catalog/decision_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Add %s") % self.opts.verbose_name,
                "header": form,
                "formset": None,
            },
        )


@admin.register(PreAssessment)
class PreAssessmentAdmin(ServiceCreatedAdmin):
    list_display = ["product", "commune", "assessed_on", "passed"]
    list_filter = ["passed", "commune"]
    add_fields = ["product", "assessed_on", *PreAssessment.CRITERIA, "notes"]

    def perform(self, request, data):
        return services.record_pre_assessment(
            product=data["product"],
            assessed_on=data["assessed_on"],
            criteria={name: data[name] for name in PreAssessment.CRITERIA},
            notes=data.get("notes", ""),
            actor=request.user,
        )


@admin.register(Evaluation)
class EvaluationAdmin(ServiceCreatedAdmin):
    list_display = ["product", "level", "evaluated_on", "total", "stars", "forwarded_to", "rule_set"]
    list_filter = ["level", "stars", "rule_set"]
    add_fields = ["product", "level", "evaluated_on", "council", "score_a", "score_b", "score_c", "notes"]

    def perform(self, request, data):
        return services.record_evaluation(
            product=data["product"],
            level=data["level"],
            evaluated_on=data["evaluated_on"],
            score_a=data["score_a"],
            score_b=data["score_b"],
            score_c=data["score_c"],
            council=data.get("council", ""),
            notes=data.get("notes", ""),
            actor=request.user,
        )


class CertificateInline(ShownInline, ScopedInline):
    model = Certificate
    fk_name = "decision"
    fields = ["product", "stars", "issued_on", "valid_until", "status"]


@admin.register(CertificationDecision)
class CertificationDecisionAdmin(ServiceCreatedAdmin):
    list_display = ["number", "kind", "signed_on", "authority_level", "authority_name", "rule_set", "history"]
    list_filter = ["kind", "authority_level", "rule_set", "history"]
    search_fields = ["number", "authority_name"]
    inlines = [CertificateInline]

    def get_urls(self):
        return [
            path("issue/", self.admin_site.admin_view(self.issue_view), name="catalog_decision_issue"),
            path("revoke/", self.admin_site.admin_view(self.revoke_view), name="catalog_decision_revoke"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:catalog_decision_issue")

    def _require(self, request, codename):
        if not request.user.has_perm(f"catalog.{codename}"):
            raise PermissionDenied

    def issue_view(self, request):
        self._require(request, "add_certificationdecision")
        header = CertificationHeaderForm(request.POST or None)
        awards = AwardFormSet(request.POST or None, prefix="awards")

        def record():
            return services.issue_certification(
                **header.cleaned_data,
                awards=[
                    services.Award(**form.cleaned_data)
                    for form in awards
                    if form.cleaned_data and form.cleaned_data.get("product")
                ],
                actor=request.user,
            )

        return self._decision_page(
            request, header, awards, record, title=_("Issue a certification decision"), done=_("Decision %s recorded.")
        )

    def revoke_view(self, request):
        self._require(request, "add_certificationdecision")
        initial = {"certificates": request.GET.getlist("certificate")}
        form = RevocationForm(request.POST or None, initial=initial)

        def record():
            data = dict(form.cleaned_data)
            return services.revoke_certificates(
                **{key: data[key] for key in ("number", "signed_on", "authority_level", "authority_name", "reason")},
                certificates=list(data["certificates"]),
                actor=request.user,
            )

        return self._decision_page(
            request, form, None, record, title=_("Revoke certificates"), done=_("Revocation %s recorded.")
        )

    def _decision_page(self, request, header, formset, record, *, title, done):
        """The decision form: on a valid POST, ``record()`` the decision (a refusal goes back onto the form)."""
        if request.method == "POST" and header.is_valid() and (formset is None or formset.is_valid()):
            try:
                decision = record()
            except ValidationError as error:
                apply_validation_error(header, error)
            else:
                self.message_user(request, done % decision.number, messages.SUCCESS)
                return redirect("admin:catalog_certificationdecision_change", decision.pk)
        return TemplateResponse(
            request,
            "admin/catalog/decision_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "header": header,
                "formset": formset,
            },
        )


@admin.register(Certificate)
class CertificateAdmin(NoAdding, ServiceCreatedAdmin):
    list_display = ["product", "stars", "issued_on", "valid_until", "status", "decision"]
    list_filter = ["status", "stars", "decision__authority_level"]
    search_fields = ["product__name_vi", "decision__number"]
    list_select_related = ["product", "decision"]
    actions = ["revoke_selected"]

    def has_revoke_permission(self, request):
        return request.user.has_perm("catalog.add_certificationdecision")

    @admin.action(description=_("Revoke the selected certificates…"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        query = "&".join(f"certificate={pk}" for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:catalog_decision_revoke')}?{query}")


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_label", "action"]
    readonly_fields = [field.name for field in AuditLogEntry._meta.fields]

    def get_queryset(self, request):
        return permissions.scope(super().get_queryset(request), request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "producer"]
    autocomplete_fields = ["commune", "producer"]
