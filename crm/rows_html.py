"""The customer table's rows, its sort links and the pipeline's cards, written in Python.

These are the CRM's busiest pages (every keystroke of the active search redraws the table). Through the template
engine a customer row cost ~0.3 ms (a `{% url %}`, a `{% blocktranslate %}`, the tags loop, `get_status_display`,
two `|date`) and a pipeline card ~0.15 ms; here the words are translated once per page, the URLs built from one
`reverse()`, and the markup is exactly what the templates wrote before (classes, `data-*`, `data-testid`s, escaping),
so htmx, the board's drag-and-drop and the tests see no difference. ADR 0019 did the same for the quote builder.
Everything else on these pages stays in the templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape  # the same five replacements as django.utils.html.escape, without the lazy-string wrapper
from urllib.parse import quote

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.rows_html import Dates, option_tags, url_for_each
from core.templatetags.core_tags import money
from crm.models import CustomerStatus


def filter_menu(field) -> SafeString:
    """A form field's <select> as `{{ field|styled }}` drew it with `LongSelect`: Bootstrap's class, Django's own
    aria attributes and is-invalid after a refused value; a `ListedModelChoiceField` lists the objects it read."""
    attrs = field.build_widget_attrs({"class": "form-select is-invalid" if field.errors else "form-select"})
    attrs.update(id=field.auto_id, name=field.html_name)
    flat = "".join(f' {key}="{escape(str(value))}"' for key, value in sorted(attrs.items()))
    if hasattr(field.field, "objects"):
        choices = [("", field.field.empty_label), *field.field.objects()]
    else:
        choices = field.field.choices
    return mark_safe(f"<select{flat}>{option_tags(choices, field.value())}</select>")


# -- customer list ------------------------------------------------------------------------------------------------

def customer_filter_menus(form) -> SafeString:
    """The status, sector, competitor and tag menus of the filter form (the owner menu shares `owner_options`)."""
    html = []
    for name in ("status", "sector", "competitor", "tag"):
        field = form[name]
        html.append(f'\n    <div class="col-6 col-md"><label class="form-label" for="{field.id_for_label}">'
                    f'{escape(str(field.label))}</label>{filter_menu(field)}</div>\n    ')
    return mark_safe("".join(html))


def customer_sort_links(filters) -> dict[str, SafeString]:
    """The table's column headers: a link that sorts by the column (or reverses it when it is the sort), keeping
    the search, status, sector, owner, tag, competitor and archived filters."""
    query = ""
    if filters.search:
        query += f"q={escape(quote(filters.search, safe='/'))}&amp;"
    if filters.status:
        query += f"status={escape(filters.status)}&amp;"
    for name in ("sector", "owner", "tag"):
        if getattr(filters, name):
            query += f"{name}={getattr(filters, name)}&amp;"
    if filters.competitor is not None:
        query += f"competitor={'yes' if filters.competitor else 'no'}&amp;"
    if filters.archived:
        query += "archived=on&amp;"
    labels = {"name": _("Name"), "status": _("Status"), "owner": _("Owner"), "score": _("Score"), "updated": _("Updated")}
    ascending = (' <i class="bi bi-caret-up-fill" aria-hidden="true"></i><span class="visually-hidden">'
                 f'{escape(_("(sorted ascending)"))}</span>')
    descending = (' <i class="bi bi-caret-down-fill" aria-hidden="true"></i><span class="visually-hidden">'
                  f'{escape(_("(sorted descending)"))}</span>')
    links = {}
    for key, label in labels.items():
        sort = f"-{key}" if filters.sort == key else key
        marker = ascending if filters.sort == key else descending if filters.sort == f"-{key}" else ""
        links[key] = mark_safe(f'<a class="link-body-emphasis text-decoration-none" href="?{query}sort={escape(sort)}">'
                               f'{escape(label)}{marker}</a>\n')
    return links


def customer_rows(customers: Iterable, *, can_change: bool) -> SafeString:
    """The table body's rows (an empty string for no customers: the template writes the empty state).
    `customers` come with `owner`, `sector` and `tag_names` (selectors.customer_table)."""
    detail_url = url_for_each("crm:customer_detail")
    select = _("Select %(name)s")
    competitor = f'<span class="badge text-bg-warning ms-1">{escape(_("competitor"))}</span>'
    statuses = {value: escape(str(label)) for value, label in CustomerStatus.choices}
    dates = Dates()
    rows = []
    for customer in customers:
        name = escape(customer.name)
        checkbox = (f'<td><input class="form-check-input" type="checkbox" name="ids" value="{customer.pk}" '
                    f'aria-label="{select % {"name": name}}"></td>') if can_change else ""
        tags = "".join(f'<span class="badge text-bg-light border ms-1">{escape(tag)}</span>'
                       for tag in customer.tag_names)
        status = escape(customer.status)
        status_label = statuses[customer.status] if customer.status in statuses else escape(
            customer.get_status_display())
        sector = escape(str(customer.sector)) if customer.sector else "—"
        owner = escape(str(customer.owner)) if customer.owner else "—"
        rows.append(
            f'\n        <tr data-testid="customer-row" data-name="{name}">\n'
            f'          {checkbox}\n'
            f'          <td><a href="{detail_url(customer.pk)}" class="fw-semibold">{name}</a>\n'
            f'            {competitor if customer.is_competitor else ""}\n'
            f'            {tags}</td>\n'
            f'          <td><span class="badge status-{status}">{status_label}</span></td>\n'
            f'          <td class="small">{sector}</td>\n'
            f'          <td class="small">{owner}</td>\n'
            f'          <td class="text-end">{customer.lead_score}</td>\n'
            f'          <td class="small text-body-secondary"><time datetime="{dates.iso(customer.updated_at)}">'
            f'{dates.day_month_year(customer.updated_at)}</time></td>\n'
            f'        </tr>\n      '
        )
    return mark_safe("".join(rows))


# -- pipeline board -----------------------------------------------------------------------------------------------

def pipeline_cards(cards_by_stage: dict[str, list[dict]], *, currency: str) -> dict[str, SafeString]:
    """Each stage's cards on the board (`data-move-url` is where a drop posts the new stage). A card is a dict of
    the opportunity's id, title, value, probability, expected_close_on, customer_id and customer__name."""
    move_url, customer_url = url_for_each("crm:opportunity_stage"), url_for_each("crm:customer_detail")
    currency = escape(currency)
    dates = Dates()
    drawn = {}
    for stage, cards in cards_by_stage.items():
        html = []
        for card in cards:
            pk, title = card["id"], escape(card["title"])
            closes = card["expected_close_on"]
            closing = f" · {dates.day_month(closes)}" if closes else ""
            html.append(
                f'\n      <article class="card mb-2 pipeline-card" data-id="{pk}" data-move-url="{move_url(pk)}" '
                f'data-testid="card" data-title="{title}">\n'
                f'        <div class="card-body p-2">\n'
                f'          <div class="fw-semibold small">{title}</div>\n'
                f'          <div class="small"><a href="{customer_url(card["customer_id"])}">{escape(card["customer__name"])}</a></div>\n'
                f'          <div class="small text-body-secondary">{currency} {money(card["value"])} · {card["probability"]}%{closing}</div>\n'
                f'        </div>\n'
                f'      </article>\n      '
            )
        drawn[stage] = mark_safe("".join(html))
    return drawn
