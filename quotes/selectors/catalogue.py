"""Reads of the catalogue, always inside the current tenant's schema; ids the user supplies go through access helpers.

Product search matches every word of the query (in any order) against the part number, the part number without its
punctuation, and the description, so "cat6 patch 2m", "UTP-C6" and "utpc6" all find what an estimator means. The
matching is `LIKE '%word%'` on one lower-cased column under a trigram GIN index (pg_trgm), so it stays fast on
100,000 products and works on fragments of words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from quotes.models import LabourRate, Product, ProductCategory, ProductPriceChange, Supplier, compact

PRODUCT_SORTS = {
    "part_number": ("part_number", "id"), "-part_number": ("-part_number", "-id"),
    "description": ("description", "id"), "-description": ("-description", "-id"),
    "supplier": ("supplier__name", "part_number"), "-supplier": ("-supplier__name", "part_number"),
    "category": ("category__name", "part_number"), "-category": ("-category__name", "part_number"),
    "cost": ("cost_price", "id"), "-cost": ("-cost_price", "-id"),
    "price": ("list_price", "id"), "-price": ("-list_price", "-id"),
}
DEFAULT_PRODUCT_SORT = "part_number"
MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class ProductFilters:
    search: str = ""
    supplier: int | None = None
    category: int | None = None
    status: str = "active"  # active | inactive | all
    sort: str = ""  # empty: by relevance when searching, else by part number


def _words(search: str) -> list[str]:
    return search.lower().split()[:MAX_SEARCH_WORDS]


SHORT_WORD = 2


def product_search_condition(search: str) -> Q:
    """Every word must appear; a word with punctuation also matches its compact form ("utp-c6" finds "UTPC6").

    Words of one or two characters ("2m", "1u", "24") match the start of a word: trigrams cannot index them anywhere
    in a word, but with the space before them they can, and "2m" inside "22m" was never what anyone meant."""
    condition = Q()
    for word in _words(search):
        word_condition = Q(search_text__contains=(" " + word) if len(word) <= SHORT_WORD else word)
        squeezed = compact(word)
        if squeezed and squeezed != word:
            word_condition |= Q(search_text__contains=squeezed)
        condition &= word_condition
    return condition


def product_list(*, filters: ProductFilters) -> QuerySet[Product]:
    """Products matching the filters, in order, on the product table alone (no join).

    Lists paginate its ids and load the page with `products_in_order`: the search then never depends on how the
    planner joins suppliers (a small suppliers table without statistics once made it loop over them, 5x slower)."""
    products = Product.objects.all()
    if filters.status == "active":
        products = products.filter(is_active=True)
    elif filters.status == "inactive":
        products = products.filter(is_active=False)
    if filters.supplier:
        products = products.filter(supplier_id=filters.supplier)
    if filters.category:
        products = products.filter(category_id=filters.category)
    words = _words(filters.search)
    if words:
        products = products.filter(product_search_condition(filters.search))
        if not filters.sort:
            # Relevance: the part number typed exactly, then part numbers starting with the first word, then the rest.
            first = words[0]
            products = products.annotate(relevance=Case(
                When(part_number__iexact=filters.search.strip(), then=Value(0)),
                When(part_number__istartswith=first, then=Value(1)),
                default=Value(2), output_field=IntegerField(),
            ))
            return products.order_by("relevance", "part_number", "id")
    return products.order_by(*PRODUCT_SORTS.get(filters.sort, PRODUCT_SORTS[DEFAULT_PRODUCT_SORT]))


def products_in_order(ids: list[int]) -> list[Product]:
    """The products with these ids, with supplier and category, in the order of `ids` (one query)."""
    found = Product.objects.select_related("supplier", "category").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def product_search(*, search: str, limit: int = 20) -> list[Product]:
    """What the quote builder's "add from catalogue" offers: active products of live suppliers, best matches first.

    Two steps so the common case stays cheap on a large catalogue: part numbers starting with the first word typed
    (exact match first) come from a range scan of the part-number prefix index; only when there are fewer than
    `limit` of those is the full word search run for the rest, ordered by part number (case-insensitively)."""
    words = _words(search)
    if not words:
        return []
    archived = Supplier.objects.filter(archived_at__isnull=False).values("id")
    matching = (Product.objects.filter(is_active=True).exclude(supplier_id__in=archived)
                .filter(product_search_condition(search)))
    starts = matching.filter(part_number_key__startswith=words[0])
    ids = list(starts.order_by("part_number_key", "id").values_list("id", flat=True)[:limit])
    if len(ids) < limit:
        # Ordered by the key, which no index can return in order: the planner then takes the matches from the
        # trigram index and sorts them, instead of walking the part-number index through the whole catalogue.
        rest = matching.exclude(part_number_key__startswith=words[0]).order_by("part_number_key", "id")
        ids += list(rest.values_list("id", flat=True)[: limit - len(ids)])
    return products_in_order(ids)


def _get(queryset: QuerySet, pk):
    """The same 404 for a missing id, a malformed one, or one outside the tenant's schema."""
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def product_get_for_user(*, user, pk) -> Product:
    return _get(Product.objects.select_related("supplier", "category"), pk)


def product_price_history(*, product: Product, limit: int = 50) -> list[ProductPriceChange]:
    return list(product.price_changes.select_related("changed_by")[:limit])


SUPPLIER_SORTS = {"name": ("name",), "-name": ("-name",)}


def supplier_list(*, search: str = "", archived: bool = False) -> QuerySet[Supplier]:
    from django.db.models import Count

    suppliers = Supplier.objects.filter(archived_at__isnull=not archived).annotate(
        product_count=Count("products", filter=Q(products__is_active=True)))
    if search.strip():
        term = search.strip()
        suppliers = suppliers.filter(Q(name__icontains=term) | Q(account_number__icontains=term)
                                     | Q(contact_name__icontains=term) | Q(email__icontains=term))
    return suppliers.order_by("-is_preferred", "name")


def supplier_get_for_user(*, user, pk) -> Supplier:
    return _get(Supplier.objects.all(), pk)


def supplier_choices() -> QuerySet[Supplier]:
    """Suppliers a product may be added to: the live ones, preferred first."""
    return Supplier.objects.filter(archived_at__isnull=True).order_by("-is_preferred", "name")


def category_list() -> QuerySet[ProductCategory]:
    from django.db.models import Count

    return ProductCategory.objects.annotate(product_count=Count("products")).order_by("name")


def category_get_for_user(*, user, pk) -> ProductCategory:
    return _get(ProductCategory.objects.all(), pk)


def labour_rate_get_for_user(*, user, pk) -> LabourRate:
    return _get(LabourRate.objects.all(), pk)
