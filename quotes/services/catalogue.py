"""Every write to the catalogue. Each change is an event (audit log); price changes also get a price-history row."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
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


# Price-list import ------------------------------------------------------------------------------------------------

IMPORT_BATCH_SIZE = 2000


@dataclass
class ProductImportCreate:
    """A new product, unsaved; `new_supplier` names its supplier when the import creates that supplier too."""

    product: Product
    new_supplier: str = ""


@dataclass
class ProductImportUpdate:
    """An existing product with the new values set on it (only the file's columns) and its prices before."""

    product: Product
    old_cost_price: Decimal
    old_list_price: Decimal


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _update_from_values(products: list[Product], fields: list[str]) -> None:
    """`UPDATE ... FROM (VALUES ...)`: one statement per batch, linear in the rows (bulk_update's CASE per column
    is quadratic in the batch size, minutes for 100,000 rows)."""
    columns = [Product._meta.get_field(name) for name in fields]
    names = ", ".join(f'"{column.column}"' for column in columns)
    assignments = ", ".join(f'"{column.column}" = v."{column.column}"::{column.db_type(connection)}'
                            for column in columns)
    table = Product._meta.db_table
    with connection.cursor() as cursor:
        for batch in _batches(products, IMPORT_BATCH_SIZE):
            row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
            params = []
            for product in batch:
                params.append(product.pk)
                params.extend(column.get_db_prep_save(getattr(product, column.attname), connection)
                              for column in columns)
            cursor.execute(f'UPDATE "{table}" AS p SET {assignments} FROM (VALUES {", ".join([row] * len(batch))}) '
                           f'AS v(id, {names}) WHERE p.id = v.id::bigint', params)


@transaction.atomic
def products_import_bulk(*, acting_user, creates: list[ProductImportCreate], updates: list[ProductImportUpdate],
                         update_fields: list[str], file_name: str = "", new_suppliers: list[str] = (),
                         progress=None) -> dict[str, int]:
    """Write a price list at once: new products, changed ones (only `update_fields`), a price-history row for every
    new product and every changed cost or list price (source "import"), and one event for the whole import.

    The rows were validated by the importer with the rules `_validate` applies one by one; the database's own
    constraints (part number per supplier, no negative price, known unit) still stand behind them. Suppliers the
    file introduces are created first through `supplier_create`, so they have their own events."""
    changed_by = _user(acting_user)
    now = timezone.now()
    suppliers = {}
    for name in new_suppliers:
        suppliers[name.lower()] = supplier_create(acting_user=acting_user, name=name)
    written = 0
    history: list[ProductPriceChange] = []
    for creates_batch in _batches(creates, IMPORT_BATCH_SIZE):
        batch = []
        for create in creates_batch:
            product = create.product
            if create.new_supplier:
                product.supplier = suppliers[create.new_supplier.lower()]
            product.refresh_search_text()
            product.created_at = product.updated_at = now
            batch.append(product)
        Product.objects.bulk_create(batch)
        history.extend(ProductPriceChange(product=product, changed_by=changed_by, changed_at=now, old_cost_price=None,
                                          new_cost_price=product.cost_price, old_list_price=None,
                                          new_list_price=product.list_price, source="import") for product in batch)
        written += len(batch)
        if progress:
            progress(written)
    fields = sorted({*update_fields, "search_text", "part_number_key", "updated_at"})
    for batch in _batches(updates, IMPORT_BATCH_SIZE):
        for update in batch:
            update.product.refresh_search_text()
            update.product.updated_at = now
        _update_from_values([update.product for update in batch], fields)
        history.extend(ProductPriceChange(product_id=update.product.pk, changed_by=changed_by, changed_at=now,
                                          old_cost_price=update.old_cost_price, new_cost_price=update.product.cost_price,
                                          old_list_price=update.old_list_price, new_list_price=update.product.list_price,
                                          source="import")
                       for update in batch if update.product.cost_price != update.old_cost_price
                       or update.product.list_price != update.old_list_price)
        written += len(batch)
        if progress:
            progress(written)
    ProductPriceChange.objects.bulk_create(history, batch_size=IMPORT_BATCH_SIZE)
    counts = {"created": len(creates), "updated": len(updates), "price_changes": len(history),
              "new_suppliers": len(new_suppliers)}
    event_record(kind="quotes.price_list_imported", actor=acting_user,
                 data={"file": file_name, **counts, "suppliers": list(new_suppliers)[:20]})
    return counts
