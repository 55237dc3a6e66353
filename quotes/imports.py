"""Price-list import: a supplier's (or our own) spreadsheet of parts and prices, upserted into the catalogue by
supplier + part number. The engine in core/imports does the pages, the dry run and the one-transaction apply.

A price list is large (100,000 rows is normal for a distributor), so this importer is a *bulk* one: every row is
checked against lookups loaded once (no query per row), then the good rows are written at once by
`products_import_bulk`, which records the price history like `product_update` does, in batches.

Rules a user relies on:
- a row matches an existing product by supplier and part number, whatever the case; it then changes only the
  columns the user matched, and an empty cell leaves the catalogue's value as it is (it never blanks a product);
- a row that changes nothing is counted as unchanged and written nowhere;
- the same supplier + part number twice in one file is an error on the later row (which price would win?).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports.registry import ImportField, ImportOption, Importer, RowCheck, importer_register
from quotes import permissions
from quotes.models import Product, ProductCategory, ProductUnit, Supplier
from quotes.services.catalogue import ImportedProduct, products_import_bulk

F = ImportField
PART_NUMBER_MAX = 40  # what a quote line holds and the builder shows in full
SUPPLIER_NAME_MAX = Supplier._meta.get_field("name").max_length
MAX_PRICE = Decimal("9999999999.99")
PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
PRODUCT_FIELDS = ("description", "category", "unit", "cost_price", "list_price", "is_active", "notes")
TRUE_WORDS = {"yes", "y", "true", "1", "active", "current", "live", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "inactive", "discontinued", "obsolete", "eol", "withdrawn"}

UNIT_ALIASES = {
    ProductUnit.EACH: ("ea", "each", "pc", "pcs", "piece", "pieces", "item", "items", "nr", "no", "unit", "units"),
    ProductUnit.HOUR: ("h", "hr", "hrs", "hour", "hours", "per hour"),
    ProductUnit.DAY: ("d", "day", "days", "per day"),
    ProductUnit.METRE: ("m", "mtr", "mtrs", "metre", "metres", "meter", "meters", "lm", "per metre"),
    ProductUnit.BOX: ("bx", "box", "boxes"),
    ProductUnit.PACK: ("pk", "pkt", "pack", "packs", "packet"),
    ProductUnit.REEL: ("reel", "reels", "drum", "drums"),
    ProductUnit.PAIR: ("pr", "pair", "pairs"),
    ProductUnit.SET: ("set", "sets", "kit", "kits"),
    ProductUnit.LICENCE: ("lic", "licence", "licences", "license", "licenses"),
    ProductUnit.USER: ("user", "users", "seat", "seats"),
    ProductUnit.MONTH: ("mo", "mth", "month", "months", "monthly", "pm", "per month"),
    ProductUnit.YEAR: ("yr", "yrs", "year", "years", "annual", "annually", "pa", "per year"),
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


UNIT_BY_WORD = {_key(word): unit for unit, words in UNIT_ALIASES.items() for word in (*words, unit.value, str(unit.label))}
THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def parse_money(text: str, field_name: str) -> tuple[Decimal | None, str]:
    """'£1,234.50' -> 1234.50. Rounded half up to the penny; refused when negative, not a number or a decimal comma
    ('12,50' would otherwise read as 1250). Returns (value, error); the field's label is only looked up for an error
    (100,000 translations per import otherwise)."""
    value, error = _parse_money(text)
    if error:
        label = _("Cost price") if field_name == "cost_price" else _("List price")
        return None, error % {"field": label, "value": text}
    return value, ""


def _parse_money(text: str) -> tuple[Decimal | None, str]:
    cleaned = text.strip().replace("£", "").replace("$", "").replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        if not THOUSANDS.fullmatch(cleaned.lstrip("-")):
            return None, _("%(field)s “%(value)s” is not a number (use a dot for pence, e.g. 12.50).")
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, _("%(field)s “%(value)s” is not a number.")
    if not value.is_finite():
        return None, _("%(field)s “%(value)s” is not a number.")
    if value < 0:
        return None, _("%(field)s %(value)s is negative: prices are zero or more.")
    value = value.quantize(PENNY, rounding=ROUND_HALF_UP)
    if value > MAX_PRICE:
        return None, _("%(field)s %(value)s is too large.")
    return value, ""


@dataclass
class PriceListContext:
    suppliers: dict[str, Supplier]  # lower-case name -> supplier (archived ones too: a clear error, not "unknown")
    categories: dict[str, ProductCategory]
    existing: dict[tuple[int, str], tuple]  # (supplier id, upper-case part number) -> the product's values
    create_suppliers: bool
    mapped: frozenset[str]
    file_name: str = ""
    seen: dict[tuple, int] = field(default_factory=dict)  # (supplier key, upper-case part number) -> first row
    new_suppliers: dict[str, str] = field(default_factory=dict)  # lower-case name -> name as first written
    price_changes: int = 0


EXISTING_COLUMNS = ("id", "supplier_id", "part_number", "description", "category_id", "unit", "cost_price",
                    "list_price", "is_active", "notes")
ID, SUPPLIER_ID, PART_NUMBER, DESCRIPTION, CATEGORY_ID, UNIT, COST_PRICE, LIST_PRICE, IS_ACTIVE, NOTES = range(10)
FIELD_INDEX = {"description": DESCRIPTION, "category": CATEGORY_ID, "unit": UNIT, "cost_price": COST_PRICE,
               "list_price": LIST_PRICE, "is_active": IS_ACTIVE, "notes": NOTES}


class PriceListImporter(Importer):
    kind = "price_list"
    url_name = "quotes:price_list_import"
    label = gettext_lazy("price list")
    permission = permissions.IMPORT_PRICE_LIST
    max_rows = 200_000
    handles_duplicates = False  # an upsert: a known supplier + part number is always updated
    bulk = True
    skip_label = gettext_lazy("Unchanged")
    skip_summary = gettext_lazy("%(n)d unchanged")
    options = (
        ImportOption("create_suppliers", gettext_lazy("Create suppliers that are not in the catalogue"),
                     help=gettext_lazy("Off: a row naming an unknown supplier is reported as an error, so a "
                                       "misspelt name cannot start a second supplier.")),
    )
    fields = (
        F("supplier", gettext_lazy("Supplier"), required=True,
          aliases=("supplier name", "vendor", "distributor", "supplier account")),
        F("part_number", gettext_lazy("Part number"), required=True,
          aliases=("part no", "part", "part code", "sku", "product code", "code", "mpn", "item code", "stock code",
                   "catalogue number", "cat no", "manufacturer part number", "mfr part number"),
          help=gettext_lazy("up to 40 characters; with the supplier, it says which product a row updates")),
        F("description", gettext_lazy("Description"),
          aliases=("product description", "desc", "name", "product name", "item", "item description", "product"),
          help=gettext_lazy("required for new products")),
        F("category", gettext_lazy("Category"), aliases=("product category", "group", "product group"),
          help=gettext_lazy("a category from Catalogue › Categories")),
        F("unit", gettext_lazy("Unit"), aliases=("uom", "unit of measure", "units", "sell unit"),
          help=gettext_lazy("each, hour, day, metre, box, pack, reel, pair, set, licence, user, month or year "
                            "(ea, hr, m … are understood); empty means each for new products")),
        F("cost_price", gettext_lazy("Cost price"),
          aliases=("cost", "buy price", "trade price", "net price", "your price", "dealer price", "unit cost"),
          help=gettext_lazy("zero or more, e.g. 12.50 or £1,234.50")),
        F("list_price", gettext_lazy("List price"),
          aliases=("list", "rrp", "sell price", "sale price", "price", "retail price", "msrp", "unit price"),
          help=gettext_lazy("zero or more")),
        F("is_active", gettext_lazy("Active"), aliases=("active", "is active", "enabled", "status"),
          help=gettext_lazy("yes or no (discontinued, obsolete and EOL mean no)")),
        F("notes", gettext_lazy("Notes"), aliases=("note", "comments", "comment")),
    )
    template_rows = (
        ("Excel Networking", "UTP-C6-305-BL", "Cat6 U/UTP LSZH cable 305m box blue", "Cable", "box", "89.50", "139.00",
         "yes", ""),
        ("Excel Networking", "PC6-2M-BL", "Cat6 patch lead snagless 2m blue", "", "ea", "1.10", "2.95", "yes", ""),
    )

    def back_url(self) -> str:
        return reverse("quotes:product_list")

    # ------------------------------------------------------------------------------------------ preparing

    def prepare(self, *, job) -> PriceListContext:
        existing = {(row[SUPPLIER_ID], row[PART_NUMBER].upper()): row
                    for row in Product.objects.values_list(*EXISTING_COLUMNS).iterator(chunk_size=10_000)}
        return PriceListContext(
            suppliers={supplier.name.lower(): supplier for supplier in Supplier.objects.all()},
            categories={category.name.lower(): category for category in ProductCategory.objects.all()},
            existing=existing, create_suppliers=bool((job.options or {}).get("create_suppliers")),
            mapped=frozenset(job.mapping), file_name=job.file_name)

    # ------------------------------------------------------------------------------------------- checking

    def check_row(self, *, row: int, values: dict[str, str], context: PriceListContext,
                  duplicate_mode: str) -> RowCheck:
        check = RowCheck(row=row)
        errors = check.errors
        supplier, supplier_key = self._supplier(values.get("supplier", "").strip(), context, errors)
        part_number = values.get("part_number", "").strip()
        if not part_number:
            errors.append(_("Part number is empty."))
        elif len(part_number) > PART_NUMBER_MAX:
            errors.append(_("Part number “%(value)s” is longer than %(max)d characters.")
                          % {"value": part_number, "max": PART_NUMBER_MAX})
        new_values = self._values(values, context, errors)
        part_key = part_number.upper()
        if supplier_key is not None and part_number:
            first = context.seen.setdefault((supplier_key, part_key), row)
            if first != row:
                errors.append(_("Part number %(part)s of %(supplier)s is also on row %(row)d: keep one of the two.")
                              % {"part": part_number, "supplier": values["supplier"].strip(), "row": first})
        existing = context.existing.get((supplier.pk, part_key)) if supplier is not None else None
        if existing is None:
            check.action = "create"
            if not new_values.get("description"):
                errors.append(_("Description is empty: a new product needs one."))
            check.data = {"supplier": supplier, "new_supplier": "" if supplier else values.get("supplier", "").strip(),
                          "part_number": part_number, "values": new_values}
        else:
            changes = {name: value for name, value in new_values.items() if existing[FIELD_INDEX[name]] != value}
            check.action = "update" if changes else "skip"
            check.target = existing
            check.data = {"changes": changes}
        if not errors:
            if supplier is None:
                context.new_suppliers.setdefault(supplier_key[1], values["supplier"].strip())
            prices = check.data.get("changes", {})
            if "cost_price" in prices or "list_price" in prices:
                context.price_changes += 1
        return check

    def _supplier(self, name: str, context: PriceListContext, errors: list) -> tuple[Supplier | None, tuple | None]:
        if not name:
            errors.append(_("Supplier is empty."))
            return None, None
        supplier = context.suppliers.get(name.lower())
        if supplier is not None:
            if supplier.is_archived:
                errors.append(_("Supplier %(name)s is archived: restore it under Catalogue › Suppliers first.")
                              % {"name": supplier.name})
            return supplier, ("id", supplier.pk)
        if not context.create_suppliers:
            errors.append(_("Supplier “%(name)s” is not in the catalogue: add it under Catalogue › Suppliers, correct "
                            "the spelling, or choose to create unknown suppliers.") % {"name": name})
        elif len(name) > SUPPLIER_NAME_MAX:
            errors.append(_("Supplier name “%(name)s” is longer than %(max)d characters.")
                          % {"name": name, "max": SUPPLIER_NAME_MAX})
        return None, ("new", name.lower())

    def _values(self, values: dict[str, str], context: PriceListContext, errors: list) -> dict:
        """The product fields this row sets: matched columns with something in them (empty cells change nothing)."""
        found = {}
        text = {name: values[name].strip() for name in PRODUCT_FIELDS if values.get(name, "").strip()}
        if "description" in text:
            found["description"] = text["description"]
        if "notes" in text:
            found["notes"] = text["notes"]
        if "category" in text:
            category = context.categories.get(text["category"].lower())
            if category is None:
                errors.append(_("Category “%(value)s” is not in the list: add it under Catalogue › Categories, or "
                                "correct the spelling.") % {"value": text["category"]})
            else:
                found["category"] = category.pk
        if "unit" in text:
            unit = UNIT_BY_WORD.get(_key(text["unit"]))
            if unit is None:
                errors.append(_("Unit “%(value)s” is not one of: %(units)s.")
                              % {"value": text["unit"], "units": ", ".join(ProductUnit.values)})
            else:
                found["unit"] = unit
        for name in ("cost_price", "list_price"):
            if name in text:
                value, error = parse_money(text[name], name)
                if error:
                    errors.append(error)
                else:
                    found[name] = value
        if "is_active" in text:
            word = text["is_active"].lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                found["is_active"] = word in TRUE_WORDS
            else:
                errors.append(_("Active “%(value)s” should be yes or no.") % {"value": text["is_active"]})
        return found

    def notes(self, *, context: PriceListContext) -> list[str]:
        notes = []
        if context.new_suppliers:
            names = sorted(context.new_suppliers.values(), key=str.lower)
            shown = ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
            notes.append(_("%(count)d suppliers are not in the catalogue and will be created: %(names)s.")
                         % {"count": len(names), "names": shown})
        if context.price_changes:
            notes.append(_("%(count)d existing products change price (each change goes into the price history).")
                         % {"count": context.price_changes})
        return notes

    # -------------------------------------------------------------------------------------------- applying

    def apply_bulk(self, *, checks: list[RowCheck], context: PriceListContext, acting_user, progress) -> dict[str, int]:
        counts: Counter = Counter()
        rows = []
        for check in checks:
            counts[check.action] += 1
            if check.action == "create":
                data = check.data
                values = data["values"]
                supplier = data["supplier"]
                rows.append(ImportedProduct(
                    supplier_id=supplier.pk if supplier else None, new_supplier=data["new_supplier"],
                    part_number=data["part_number"], description=values["description"],
                    category_id=values.get("category"), unit=values.get("unit", ProductUnit.EACH),
                    cost_price=values.get("cost_price", ZERO), list_price=values.get("list_price", ZERO),
                    is_active=values.get("is_active", True), notes=values.get("notes", "")))
            elif check.action == "update":
                row, changes = check.target, check.data["changes"]
                rows.append(ImportedProduct(
                    product_id=row[ID], supplier_id=row[SUPPLIER_ID], part_number=row[PART_NUMBER],
                    description=changes.get("description", row[DESCRIPTION]),
                    category_id=changes.get("category", row[CATEGORY_ID]), unit=changes.get("unit", row[UNIT]),
                    cost_price=changes.get("cost_price", row[COST_PRICE]),
                    list_price=changes.get("list_price", row[LIST_PRICE]),
                    is_active=changes.get("is_active", row[IS_ACTIVE]), notes=changes.get("notes", row[NOTES]),
                    old_cost_price=row[COST_PRICE], old_list_price=row[LIST_PRICE]))
        products_import_bulk(
            acting_user=acting_user, rows=rows, progress=progress, file_name=context.file_name,
            update_fields=[("category_id" if name == "category" else name) for name in PRODUCT_FIELDS
                           if name in context.mapped],
            new_suppliers=list(context.new_suppliers.values()))
        return dict(counts)


price_list_importer = importer_register(PriceListImporter())
