from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quotes.models import LabourRate, PricingSettings, Product, ProductCategory, Supplier
from quotes.selectors.catalogue import PRODUCT_SORTS, ProductFilters, supplier_choices

MONEY_WIDGET = {"min": "0", "step": "0.01", "inputmode": "decimal"}


def _unique_name(form, model) -> str:
    """Names are unique whatever their case (a database constraint); say so under the field."""
    name = form.cleaned_data["name"].strip()
    clashes = model.objects.filter(name__iexact=name)
    if form.instance.pk:
        clashes = clashes.exclude(pk=form.instance.pk)
    if clashes.exists():
        raise forms.ValidationError(_("“%(name)s” is already in the list.") % {"name": name})
    return name


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    supplier = forms.ModelChoiceField(label=_("Supplier"), required=False, queryset=Supplier.objects.none(),
                                      empty_label=_("Any supplier"))
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=ProductCategory.objects.none(),
                                      empty_label=_("Any category"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("active", _("Active")), ("inactive", _("Inactive")), ("all", _("Active and inactive"))])
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in PRODUCT_SORTS], widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.order_by("name")
        self.fields["category"].queryset = ProductCategory.objects.order_by("name")

    def filters(self) -> ProductFilters:
        if not self.is_valid():
            return ProductFilters()
        data = self.cleaned_data
        return ProductFilters(search=data["q"], supplier=data["supplier"].pk if data["supplier"] else None,
                              category=data["category"].pk if data["category"] else None,
                              status=data["status"] or "active", sort=data["sort"] or "")


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["supplier", "part_number", "description", "category", "unit", "cost_price", "list_price",
                  "is_active", "notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "cost_price": forms.NumberInput(attrs=MONEY_WIDGET),
            "list_price": forms.NumberInput(attrs=MONEY_WIDGET),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        suppliers = supplier_choices()
        if self.instance.pk:  # keep the current supplier selectable even when it has been archived since
            suppliers = Supplier.objects.filter(pk=self.instance.supplier_id) | suppliers
        self.fields["supplier"].queryset = suppliers.order_by("-is_preferred", "name")
        self.fields["category"].queryset = ProductCategory.objects.order_by("name")
        self.fields["part_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self):
        # Checked here for a message under the field (and so the model's constraint check is skipped); the service
        # checks again and the database constraint backs both.
        data = super().clean()
        supplier, part_number = data.get("supplier"), (data.get("part_number") or "").strip()
        if supplier and part_number:
            clashes = Product.objects.filter(supplier=supplier, part_number__iexact=part_number)
            if self.instance.pk:
                clashes = clashes.exclude(pk=self.instance.pk)
            if clashes.exists():
                self.add_error("part_number", _("%(supplier)s already has a product with this part number.")
                               % {"supplier": supplier.name})
        return data


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "account_number", "contact_name", "email", "phone", "website", "is_preferred", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        return _unique_name(self, Supplier)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ProductCategory
        fields = ["name", "default_markup_percent"]
        widgets = {"default_markup_percent": forms.NumberInput(attrs={"min": "0", "step": "0.01"})}

    def clean_name(self):
        return _unique_name(self, self._meta.model)


class LabourRateForm(forms.ModelForm):
    class Meta:
        model = LabourRate
        fields = ["name", "cost_per_hour", "sell_per_hour", "cost_per_day", "sell_per_day", "is_active"]
        widgets = {name: forms.NumberInput(attrs=MONEY_WIDGET)
                   for name in ("cost_per_hour", "sell_per_hour", "cost_per_day", "sell_per_day")}

    def clean_name(self):
        return _unique_name(self, self._meta.model)


class PricingSettingsForm(forms.ModelForm):
    """The pricing settings row, plus the tenant's currency and default tax rate (which live on the Tenant)."""

    currency = forms.ChoiceField(label=_("Currency"))
    default_tax_rate = forms.DecimalField(label=_("Default tax rate (%)"), max_digits=5, decimal_places=2,
                                          min_value=0, max_value=100, help_text=_("UK VAT standard rate is 20%."),
                                          widget=forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}))

    class Meta:
        model = PricingSettings
        fields = ["quote_validity_days", "rounding", "margin_floor_percent", "approval_margin_below_percent",
                  "approval_discount_above_percent", "approval_total_above", "terms"]
        widgets = {
            "terms": forms.Textarea(attrs={"rows": 14}),
            "margin_floor_percent": forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}),
            "approval_margin_below_percent": forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}),
            "approval_discount_above_percent": forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}),
            "approval_total_above": forms.NumberInput(attrs=MONEY_WIDGET),
        }

    def __init__(self, *args, tenant, **kwargs):
        from tenants.models import Tenant

        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = Tenant._meta.get_field("currency").choices
        self.fields["currency"].initial = tenant.currency
        self.fields["default_tax_rate"].initial = tenant.default_tax_rate
        self.order_fields(["currency", "default_tax_rate"])
