"""The quote as a PDF, drawn by WeasyPrint from a revision's frozen snapshot (or, marked DRAFT, from the working lines).

Only what the customer may see reaches the page: part number, description, quantity, unit, unit price, discount and
line total. Cost, markup, margin, supplier and internal notes are in the snapshot for the team's own views and are
never read here. WeasyPrint fetches nothing from outside: the logo is inlined as a data: URL and every other
scheme is refused, so a description can never make the renderer reach the network or the disk.

See docs/adr/ "quote-pdf-weasyprint-stored-per-tenant" for why WeasyPrint, and why the file is stored.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from quotes.models.catalogue import ProductUnit
from quotes.totals import ZERO

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#1d4ed8"
PERIOD_LABELS = {"monthly": ("Monthly charges", "per month", "/ month"), "annual": ("Annual charges", "per year", "/ year")}


def money_text(value, currency: str) -> str:
    """Decimal('1234.5'), 'GBP' -> '£1,234.50' (a code when there is no common symbol: 'CHF 1,234.50')."""
    amount = Decimal(value or 0).quantize(Decimal("0.01"))
    symbol = CURRENCY_SYMBOLS.get(currency)
    sign = "−" if amount < 0 else ""
    figures = f"{abs(amount):,.2f}"
    return f"{sign}{symbol}{figures}" if symbol else f"{sign}{currency} {figures}"


def _quantity_text(raw: str) -> str:
    """'3.000' -> '3', '2.500' -> '2.5': a quantity as a person writes it."""
    return f"{Decimal(raw).normalize():f}"


def _percent_text(raw: str) -> str:
    value = Decimal(raw or 0)
    return "" if value == 0 else f"{value.normalize():f} %"


def _unit_label(code: str) -> str:
    try:
        return str(ProductUnit(code).label)
    except ValueError:
        return code


@dataclass
class Row:
    description: str
    part_number: str
    quantity: str
    unit: str
    unit_price: str
    discount: str
    total: str
    recurrence: str = ""
    alternative: str = ""  # the group name
    included: bool = True


@dataclass
class Block:
    currency: str
    heading: str = ""
    rows: list[Row] = field(default_factory=list)
    one_off: Decimal = ZERO
    recurring: dict[str, Decimal] = field(default_factory=dict)
    has_one_off: bool = False

    @property
    def subtotals(self) -> list[tuple[str, str]]:
        """(label, amount) rows under a section: one-off, then each recurring period that the section has."""
        rows = []
        if self.has_one_off or not self.recurring:
            rows.append((_("Subtotal: %(section)s") % {"section": self.heading}, money_text(self.one_off, self.currency)))
        for period, amount in self.recurring.items():
            rows.append((_("Subtotal: %(section)s, %(period)s") % {
                "section": self.heading, "period": _(PERIOD_LABELS[period][1])}, money_text(amount, self.currency)))
        return rows


def _layout(snapshot: dict) -> tuple[list[Block], list[Row]]:
    """Split the snapshot's lines into sections (with their counted subtotals) and the optional items."""
    currency = snapshot["currency"]
    blocks = [Block(currency=currency)]
    optional: list[Row] = []
    for line in snapshot["lines"]:
        if line["kind"] == "section":
            blocks.append(Block(currency=currency, heading=line["description"]))
            continue
        net = Decimal(line["net"] or 0)
        recurrence = line.get("recurrence") or ""
        suffix = f" {_(PERIOD_LABELS[recurrence][2])}" if recurrence in PERIOD_LABELS else ""
        row = Row(description=line["description"], part_number=line["part_number"],
                  quantity=_quantity_text(line["quantity"]), unit=_unit_label(line["unit"]),
                  unit_price=money_text(line["unit_price"], currency), discount=_percent_text(line["discount_percent"]),
                  total=money_text(net, currency) + suffix, recurrence=recurrence,
                  alternative=line.get("alternative_group") or "", included=bool(line.get("counted")))
        if line["is_optional"]:
            optional.append(row)
            continue
        block = blocks[-1]
        block.rows.append(row)
        if row.included:
            if recurrence:
                block.recurring[recurrence] = block.recurring.get(recurrence, ZERO) + net
            else:
                block.one_off += net
                block.has_one_off = True
    return [block for block in blocks if block.rows or block.heading], optional


def _logo_data_url(tenant) -> str:
    logo = getattr(tenant, "logo", None)
    if not logo or not logo.name.startswith(f"{tenant.schema_name}/") or not default_storage.exists(logo.name):
        return ""
    from tenants.branding import logo_content_type

    with default_storage.open(logo.name, "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{logo_content_type(logo.name)};base64,{encoded}"


def _is_light(colour: str) -> bool:
    """WCAG relative luminance above 0.5: white text on it would be hard to read, and so would it as text."""
    channels = []
    for index in (1, 3, 5):
        value = int(colour[index:index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5


def pdf_context(snapshot: dict, *, tenant, issued_on: date, draft: bool = False) -> dict:
    currency = snapshot["currency"]
    totals = snapshot["totals"]
    blocks, optional = _layout(snapshot)
    colour = tenant.primary_colour if HEX_COLOUR.match(tenant.primary_colour or "") else DEFAULT_COLOUR
    recurring = [{"label": _(PERIOD_LABELS[period][0]), "per": _(PERIOD_LABELS[period][1]),
                  "net": money_text(figures["net"], currency), "tax": money_text(figures["tax"], currency),
                  "total": money_text(figures["total"], currency)}
                 for period, figures in totals.get("recurring", {}).items() if period in PERIOD_LABELS]
    discount = Decimal(totals.get("discount") or 0)
    net = Decimal(totals["net"])
    return {
        "s": snapshot, "tenant_name": tenant.name, "logo": _logo_data_url(tenant), "colour": colour, "draft": draft,
        # a pale brand colour still fills the header band and rules, but text on it and in it turns dark
        "on_colour": "#1f2328" if _is_light(colour) else "#ffffff",
        "accent_text": "#1f2328" if _is_light(colour) else colour,
        "reference": f"{snapshot['reference']} R{snapshot['revision']}", "issued_on": issued_on,
        "valid_until": date.fromisoformat(snapshot["valid_until"]),
        "blocks": blocks, "optional": optional,
        "has_alternatives": any(row.alternative for block in blocks for row in block.rows),
        "tax_rate": f"{Decimal(snapshot['tax_rate']).normalize():f}",
        "gross": money_text(net + discount, currency), "discount": money_text(discount, currency) if discount else "",
        "net": money_text(net, currency), "tax": money_text(totals["tax"], currency),
        "total": money_text(totals["total"], currency), "currency": currency,
        "recurring": recurring, "optional_total": money_text(totals.get("optional") or 0, currency),
    }


def _url_fetcher():
    """WeasyPrint's URL fetcher, allowed data: URLs only (the inlined logo)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def pdf_render(snapshot: dict, *, tenant, issued_on: date, draft: bool = False) -> RenderedPdf:
    """The PDF bytes of a snapshot (see quotes/services/quotes.py `_snapshot` for its keys)."""
    from weasyprint import HTML

    html = render_to_string("quotes/pdf/quote.html", pdf_context(snapshot, tenant=tenant, issued_on=issued_on,
                                                                 draft=draft))
    document = HTML(string=html, url_fetcher=_url_fetcher(), base_url="data:,").render()
    title = f"{snapshot['reference']} R{snapshot['revision']} {snapshot['title']}"
    document.metadata.title = title + (" (DRAFT)" if draft else "")
    document.metadata.authors = [tenant.name]
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))
