"""Every write to the catalogue. Each change is an event (audit log); price changes also get a price-history row."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from quotes.errors import DuplicatePartNumber, SupplierArchived
from quotes.models import LabourRate, Product, ProductCategory, ProductPriceChange, Supplier

SUPPLIER_FIELDS = ("name", "account_number", "contact_name", "email", "phone", "website", "is_preferred", "notes")
PRODUCT_FIELDS = ("supplier", "part_number", "description", "category", "unit", "cost_price", "list_price",
                  "is_active", "notes")
CATEGORY_FIELDS = ("name", "default_markup_percent")
LABOUR_RATE_FIELDS = ("name", "cost_per_hour", "sell_per_hour", "cost_per_day", "sell_per_day", "is_active")


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return fields


# Suppliers --------------------------------------------------------------------------------------------------------

@transaction.atomic
def supplier_create(*, acting_user, name: str, **fields) -> Supplier:
    supplier = Supplier(name=name.strip(), **_only(fields, SUPPLIER_FIELDS))
    supplier.full_clean()
    supplier.save()
    event_record(kind="quotes.supplier_created", actor=acting_user, subject=supplier, data={"name": supplier.name})
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, acting_user, changes: dict) -> Supplier:
    changed = [field for field, value in _only(changes, SUPPLIER_FIELDS).items() if getattr(supplier, field) != value]
    for field in changed:
        setattr(supplier, field, changes[field])
    if changed:
        supplier.full_clean()
        supplier.save()
        event_record(kind="quotes.supplier_changed", actor=acting_user, subject=supplier,
                     data={"name": supplier.name, "fields": changed})
    return supplier


@transaction.atomic
def supplier_archive(*, supplier: Supplier, acting_user) -> Supplier:
    """Archived suppliers leave the pickers; their products stay (and stay on quotes) but no new ones are added."""
    if not supplier.is_archived:
        supplier.archived_at = timezone.now()
        supplier.save(update_fields=["archived_at", "updated_at"])
        event_record(kind="quotes.supplier_archived", actor=acting_user, subject=supplier, data={"name": supplier.name})
    return supplier


@transaction.atomic
def supplier_restore(*, supplier: Supplier, acting_user) -> Supplier:
    if supplier.is_archived:
        supplier.archived_at = None
        supplier.save(update_fields=["archived_at", "updated_at"])
        event_record(kind="quotes.supplier_restored", actor=acting_user, subject=supplier, data={"name": supplier.name})
    return supplier


# Products ---------------------------------------------------------------------------------------------------------

def _ensure_part_number_free(*, supplier: Supplier, part_number: str, exclude_pk: int | None = None) -> None:
    clashes = Product.objects.filter(supplier=supplier, part_number__iexact=part_number)
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        raise DuplicatePartNumber(_("%(supplier)s already has a product with part number %(part)s.")
                                  % {"supplier": supplier.name, "part": part_number})


def _validate(product: Product) -> None:
    # The part-number constraint is checked above with a clear message; the rest (negative prices, unit) here.
    product.full_clean(exclude=["search_text"], validate_constraints=False)


@transaction.atomic
def product_create(*, acting_user, supplier: Supplier, part_number: str, description: str,
                   cost_price: Decimal = Decimal("0.00"), list_price: Decimal = Decimal("0.00"), source: str = "create",
                   **fields) -> Product:
    if supplier.is_archived:
        raise SupplierArchived(_("%(name)s is archived: restore it before adding products.") % {"name": supplier.name})
    part_number = part_number.strip()
    _ensure_part_number_free(supplier=supplier, part_number=part_number)
    product = Product(supplier=supplier, part_number=part_number, description=description.strip(),
                      cost_price=cost_price, list_price=list_price, **_only(fields, PRODUCT_FIELDS))
    _validate(product)
    product.save()
    ProductPriceChange.objects.create(product=product, changed_by=_user(acting_user), old_cost_price=None,
                                      new_cost_price=product.cost_price, old_list_price=None,
                                      new_list_price=product.list_price, source=source)
    event_record(kind="quotes.product_created", actor=acting_user, subject=product,
                 data={"part_number": product.part_number, "supplier": supplier.name})
    return product


def _user(acting_user):
    return acting_user if acting_user is not None and getattr(acting_user, "is_authenticated", False) else None


@transaction.atomic
def product_update(*, product: Product, acting_user, changes: dict, source: str = "edit") -> Product:
    """Save edited fields; a change of cost or list price writes one price-history row with the old and new prices."""
    _only(changes, PRODUCT_FIELDS)
    changed = [field for field, value in changes.items() if getattr(product, field) != value]
    if not changed:
        return product
    old_cost, old_list = product.cost_price, product.list_price
    for field in changed:
        setattr(product, field, changes[field])
    product.part_number = product.part_number.strip()
    if {"supplier", "part_number"} & set(changed):
        if product.supplier.is_archived and "supplier" in changed:
            raise SupplierArchived(_("%(name)s is archived.") % {"name": product.supplier.name})
        _ensure_part_number_free(supplier=product.supplier, part_number=product.part_number, exclude_pk=product.pk)
    _validate(product)
    product.save()
    if product.cost_price != old_cost or product.list_price != old_list:
        ProductPriceChange.objects.create(product=product, changed_by=_user(acting_user), old_cost_price=old_cost,
                                          new_cost_price=product.cost_price, old_list_price=old_list,
                                          new_list_price=product.list_price, source=source)
    event_record(kind="quotes.product_changed", actor=acting_user, subject=product,
                 data={"part_number": product.part_number, "fields": changed})
    return product


@transaction.atomic
def product_deactivate(*, product: Product, acting_user) -> Product:
    """Products are never deleted (quotes point at them); inactive ones are not offered on new quotes."""
    if product.is_active:
        product.is_active = False
        product.save(update_fields=["is_active"])
        event_record(kind="quotes.product_deactivated", actor=acting_user, subject=product,
                     data={"part_number": product.part_number})
    return product


# Categories and labour rates --------------------------------------------------------------------------------------

def _unique_name(model, name: str, exclude_pk: int | None) -> None:
    clashes = model.objects.filter(name__iexact=name)
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        raise ValidationError({"name": _("“%(name)s” is already in the list.") % {"name": name}})


@transaction.atomic
def category_save(*, acting_user, category: ProductCategory | None = None, **fields) -> ProductCategory:
    category = category or ProductCategory()
    for field, value in _only(fields, CATEGORY_FIELDS).items():
        setattr(category, field, value.strip() if field == "name" else value)
    _unique_name(ProductCategory, category.name, category.pk)
    category.full_clean(validate_constraints=False)
    category.save()
    event_record(kind="quotes.category_saved", actor=acting_user, subject=category,
                 data={"name": category.name, "markup": str(category.default_markup_percent)})
    return category


@transaction.atomic
def labour_rate_save(*, acting_user, labour_rate: LabourRate | None = None, **fields) -> LabourRate:
    labour_rate = labour_rate or LabourRate()
    for field, value in _only(fields, LABOUR_RATE_FIELDS).items():
        setattr(labour_rate, field, value.strip() if field == "name" else value)
    _unique_name(LabourRate, labour_rate.name, labour_rate.pk)
    labour_rate.full_clean(validate_constraints=False)
    labour_rate.save()
    event_record(kind="quotes.labour_rate_saved", actor=acting_user, subject=labour_rate, data={"name": labour_rate.name})
    return labour_rate
