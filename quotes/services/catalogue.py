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
from quotes.models.catalogue import product_search_fields

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

IMPORT_BATCH_SIZE = 10_000  # rows per COPY / UPDATE, and per progress report
PRODUCT_IMPORT_FIELDS = ("description", "category_id", "unit", "cost_price", "list_price", "is_active", "notes")


@dataclass(slots=True)
class ImportedProduct:
    """One good row of a price list, with every product field resolved: the existing product's values where the
    file leaves them unchanged. `product_id` is None for a new product; `new_supplier` names a supplier the import
    creates (then `supplier_id` is None)."""

    supplier_id: int | None
    part_number: str
    description: str
    category_id: int | None
    unit: str
    cost_price: Decimal
    list_price: Decimal
    is_active: bool
    notes: str
    product_id: int | None = None
    old_cost_price: Decimal | None = None
    old_list_price: Decimal | None = None
    new_supplier: str = ""


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    with cursor.cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


@transaction.atomic
def products_import_bulk(*, acting_user, rows: list[ImportedProduct], update_fields: list[str], file_name: str = "",
                         new_suppliers: list[str] = (), progress=None) -> dict[str, int]:
    """Write a price list at once: new products, changed ones (only `update_fields` of them, named as in
    PRODUCT_IMPORT_FIELDS), a price-history row
    for every new product and every changed cost or list price (source "import", as `product_create` and
    `product_update` write them), and one event for the whole import (not one per product: 100,000 audit rows
    would bury everything else).

    The importer validated each row with the rules `_validate` applies one by one; the database's constraints (part
    number per supplier, no negative price, known unit) still stand behind them, and COPY checks them. COPY and
    one `UPDATE ... FROM` a temporary table per batch: Django's bulk_create and bulk_update spend most of a 100,000-
    row import building SQL in Python. Suppliers the file introduces are created first through `supplier_create`."""
    changed_by = _user(acting_user)
    changed_by_id = changed_by.pk if changed_by else None
    now = timezone.now()
    supplier_ids = {name.lower(): supplier_create(acting_user=acting_user, name=name).pk for name in new_suppliers}
    creates = [row for row in rows if row.product_id is None]
    updates = [row for row in rows if row.product_id is not None]
    history = []
    written = 0
    product_table = Product._meta.db_table
    with connection.cursor() as cursor:
        if creates:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [product_table, len(creates)])
            for row, (new_id,) in zip(creates, cursor.fetchall(), strict=True):
                row.product_id = new_id
                if row.new_supplier:
                    row.supplier_id = supplier_ids[row.new_supplier.lower()]
        columns = ("id", "supplier_id", "part_number", *PRODUCT_IMPORT_FIELDS, "search_text", "part_number_key",
                   "created_at", "updated_at")
        for batch in _batches(creates, IMPORT_BATCH_SIZE):
            _copy(cursor, product_table, columns, (
                (row.product_id, row.supplier_id, row.part_number, row.description, row.category_id, row.unit,
                 row.cost_price, row.list_price, row.is_active, row.notes,
                 *product_search_fields(row.part_number, row.description), now, now) for row in batch))
            history.extend((row.product_id, changed_by_id, now, None, row.cost_price, None, row.list_price, "import")
                           for row in batch)
            written += len(batch)
            if progress:
                progress(written)
        if updates:
            fields = [name for name in PRODUCT_IMPORT_FIELDS if name in update_fields]
            if "description" in fields:
                fields += ["search_text", "part_number_key"]
            staged = ("id", *PRODUCT_IMPORT_FIELDS, "search_text", "part_number_key")
            cursor.execute(
                "CREATE TEMPORARY TABLE quotes_import_staging (id bigint PRIMARY KEY, description text, "
                "category_id bigint, unit varchar(10), cost_price numeric(12, 2), list_price numeric(12, 2), "
                "is_active boolean, notes text, search_text text, part_number_key varchar(60)) ON COMMIT DROP")
            assignments = ", ".join([*(f'"{name}" = s."{name}"' for name in fields), '"updated_at" = %s'])
            for batch in _batches(updates, IMPORT_BATCH_SIZE):
                _copy(cursor, "quotes_import_staging", staged, (
                    (row.product_id, row.description, row.category_id, row.unit, row.cost_price, row.list_price,
                     row.is_active, row.notes, *product_search_fields(row.part_number, row.description))
                    for row in batch))
                cursor.execute(f'UPDATE "{product_table}" AS p SET {assignments} FROM quotes_import_staging AS s '
                               "WHERE p.id = s.id", [now])
                cursor.execute("TRUNCATE quotes_import_staging")
                history.extend((row.product_id, changed_by_id, now, row.old_cost_price, row.cost_price,
                                row.old_list_price, row.list_price, "import") for row in batch
                               if row.cost_price != row.old_cost_price or row.list_price != row.old_list_price)
                written += len(batch)
                if progress:
                    progress(written)
            cursor.execute("DROP TABLE quotes_import_staging")
        _copy(cursor, ProductPriceChange._meta.db_table,
              ("product_id", "changed_by_id", "changed_at", "old_cost_price", "new_cost_price", "old_list_price",
               "new_list_price", "source"), history)
    counts = {"created": len(creates), "updated": len(updates), "price_changes": len(history),
              "new_suppliers": len(new_suppliers)}
    event_record(kind="quotes.price_list_imported", actor=acting_user,
                 data={"file": file_name, **counts, "suppliers": list(new_suppliers)[:20]})
    return counts


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
