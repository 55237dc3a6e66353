"""The quote builder's rows, rendered in Python.

A 200-line quote has about 4,000 inputs, buttons and labels. Through template includes, `{% url %}` and
`{% translate %}` per cell the rows cost ~2.5 ms each (500 ms a page, measured); written here once, with the URLs
built from one prefix and the words translated once per page, they cost a few hundredths of that. The markup is
exactly what the template wrote before (ids, data-col, hx-* attributes), so the builder's keyboard handling, the
out-of-band figures and the tests see no difference. ADR 0019 says why this one screen is not a template.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.templatetags.core_tags import money, select_options


def _number(value) -> str:
    """3.000 -> 3, 10 -> 10 (never 1E+1), None -> ''."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


class BuilderRows:
    """Everything that is the same for every row of one page: words, URL prefix, option lists."""

    def __init__(self, *, quote, can_change: bool, units, recurrences):
        self.can_change = can_change
        self.lines_url = reverse("quotes:line_add", args=[quote.pk])  # /quotes/<pk>/lines/
        self.words = {key: escape(text) for key, text in {
            "part_number": _("Part number"), "supplier_name": _("Supplier"), "description": _("Description"),
            "quantity": _("Quantity"), "unit": _("Unit"), "unit_cost": _("Unit cost"), "markup_percent": _("Markup %"),
            "unit_price": _("Unit price"), "discount_percent": _("Discount %"), "optional": _("optional"),
            "recurring": _("Recurring"), "group": _("Alternative group"), "group_placeholder": _("option group"),
            "chosen": _("chosen"), "section": _("Section heading"), "below_floor": _("Below the margin floor"),
            "duplicate": _("Duplicate"), "duplicate_line": _("Duplicate line"), "delete": _("Delete"),
            "delete_line": _("Delete line"), "up_title": _("Move up (Alt+↑)"), "up": _("Move up"),
            "down_title": _("Move down (Alt+↓)"), "down": _("Move down"),
        }.items()}
        self.units, self.recurrences = units, recurrences
        self._options: dict[tuple[str, str], str] = {}

    def _select(self, kind: str, value: str) -> str:
        """The <option>s of a unit or recurrence menu with `value` selected, built once per value per page."""
        key = (kind, value)
        if key not in self._options:
            self._options[key] = select_options(self.units if kind == "unit" else self.recurrences, value)
        return self._options[key]

    # -- pieces ---------------------------------------------------------------------------------------------
    def _post(self, pk: int, field: str, *, whole: bool = False) -> str:
        """hx attributes of an input that saves `field` when left (or, for `whole`, swaps the lines and totals)."""
        if not self.can_change:
            return ""
        swap = 'hx-target="#lines-and-totals" hx-swap="outerHTML"' if whole else 'hx-swap="none"'
        return f'hx-post="{self.lines_url}{pk}/" hx-vals=\'{{"field": "{field}"}}\' hx-trigger="change" {swap}'

    def _textarea(self, line, field: str, *, mono: bool = False, small: bool = False) -> str:
        css = "form-control form-control-sm" + (" font-monospace" if mono else "") + (
            " small text-body-secondary mt-1" if small else "")
        attributes = self._post(line.pk, field) or "readonly"
        return (f'<label class="visually-hidden" for="line-{line.pk}-{field}">{self.words[field]}</label>'
                f'<textarea class="{css}" id="line-{line.pk}-{field}" name="value" rows="1" style="field-sizing: '
                f'content; resize: none; min-height: 1.9rem" data-col="{field}" {attributes}>'
                f'{escape(getattr(line, field))}</textarea>')

    def _number_input(self, line, field: str, value: str) -> str:
        attributes = self._post(line.pk, field) or "readonly"
        return (f'<label class="visually-hidden" for="line-{line.pk}-{field}">{self.words[field]}</label>'
                f'<input class="form-control form-control-sm text-end px-1" type="text" inputmode="decimal" '
                f'id="line-{line.pk}-{field}" name="value" data-col="{field}" value="{escape(value)}" {attributes}>')

    def figures(self, row, *, oob: bool = False) -> str:
        line, totals = row["line"], row["totals"]
        counted = bool(totals and totals.counted)
        net = money(totals.net) if totals else ""
        margin = totals.margin_percent if totals else None
        total_css = "fw-semibold" + ("" if counted else " text-decoration-line-through text-body-secondary")
        margin_css = "small text-danger fw-semibold" if row["low_margin"] else "small text-body-secondary"
        title = f' title="{self.words["below_floor"]}"' if row["low_margin"] else ""
        swap = ' hx-swap-oob="true"' if oob else ""
        return (f'<div id="line-{line.pk}-figures"{swap}><div class="{total_css}" data-testid="line-total">{net}</div>'
                f'<div class="{margin_css}" data-testid="line-margin"{title}>'
                f'{f"{margin:f} %" if margin is not None else "—"}</div></div>')

    def _actions(self, line) -> str:
        if not self.can_change:
            return ""
        url, words = f"{self.lines_url}{line.pk}/", self.words
        target = 'hx-target="#lines-and-totals" hx-swap="outerHTML"'
        return (
            '<div class="btn-group btn-group-sm">'
            f'<button type="button" class="btn btn-outline-secondary px-1" title="{words["duplicate"]}" '
            f'aria-label="{words["duplicate_line"]}" hx-post="{url}duplicate/" {target}><i class="bi bi-copy" '
            'aria-hidden="true"></i></button>'
            f'<button type="button" class="btn btn-outline-danger px-1" title="{words["delete"]}" '
            f'aria-label="{words["delete_line"]}" hx-post="{url}delete/" {target}><i class="bi bi-trash" '
            'aria-hidden="true"></i></button></div>'
            '<div class="btn-group btn-group-sm mt-1">'
            f'<button type="button" class="btn btn-outline-secondary px-1" title="{words["up_title"]}" '
            f'aria-label="{words["up"]}" data-move="up" hx-post="{url}move/" hx-vals=\'{{"direction": "up"}}\' '
            f'{target}><i class="bi bi-arrow-up" aria-hidden="true"></i></button>'
            f'<button type="button" class="btn btn-outline-secondary px-1" title="{words["down_title"]}" '
            f'aria-label="{words["down"]}" data-move="down" hx-post="{url}move/" hx-vals=\'{{"direction": "down"}}\' '
            f'{target}><i class="bi bi-arrow-down" aria-hidden="true"></i></button></div>')

    def _grip(self) -> str:
        return '<i class="bi bi-grip-vertical" aria-hidden="true"></i>' if self.can_change else ""

    # -- rows -------------------------------------------------------------------------------------------------
    def section(self, row) -> str:
        line, pk = row["line"], row["line"].pk
        attributes = self._post(pk, "description") or "readonly"
        section_net = row["section_net"] if row["section_net"] is not None else "0.00"
        return (f'<tr data-id="{pk}" class="table-light" data-testid="section-row">'
                f'<td class="text-body-secondary">{self._grip()}</td>'
                f'<td colspan="8"><label class="visually-hidden" for="line-{pk}-description">{self.words["section"]}'
                f'</label><input class="form-control form-control-sm fw-semibold" id="line-{pk}-description" '
                f'name="value" value="{escape(line.description)}" placeholder="{self.words["section"]}" {attributes} '
                f'data-col="description"></td>'
                f'<td class="text-end fw-semibold" id="section-{pk}-net">{money(section_net)}</td>'
                f'<td>{self._actions(line)}</td></tr>')

    def item(self, row) -> str:
        line, pk, words = row["line"], row["line"].pk, self.words
        change = self.can_change
        optional = (f'<div class="form-check form-check-inline m-0"><input class="form-check-input" type="checkbox" '
                    f'id="line-{pk}-is_optional" name="value" value="on"{" checked" if line.is_optional else ""} '
                    f'{self._post(pk, "is_optional", whole=True) if change else "disabled"}><label '
                    f'class="form-check-label" for="line-{pk}-is_optional">{words["optional"]}</label></div>')
        recurrence = (f'<label class="visually-hidden" for="line-{pk}-recurrence">{words["recurring"]}</label>'
                      f'<select class="form-select form-select-sm w-auto py-0" id="line-{pk}-recurrence" name="value" '
                      f'{self._post(pk, "recurrence", whole=True) if change else "disabled"}>'
                      f'{self._select("recurrence", line.recurrence)}</select>')
        group = (f'<label class="visually-hidden" for="line-{pk}-alternative_group">{words["group"]}</label>'
                 f'<input class="form-control form-control-sm py-0" style="width: 8rem" id="line-{pk}-alternative_group" '
                 f'name="value" value="{escape(line.alternative_group)}" placeholder="{words["group_placeholder"]}" '
                 f'{self._post(pk, "alternative_group", whole=True) if change else "readonly"}>')
        if line.alternative_group:
            chosen = " checked" if row["totals"] and row["totals"].counted else ""
            group += (f'<div class="form-check form-check-inline m-0"><input class="form-check-input" type="radio" '
                      f'id="line-{pk}-alternative_chosen" name="value" value="on"{chosen} '
                      f'{self._post(pk, "alternative_chosen", whole=True) if change else "disabled"}><label '
                      f'class="form-check-label" for="line-{pk}-alternative_chosen">{words["chosen"]}</label></div>')
        unit = (f'<label class="visually-hidden" for="line-{pk}-unit">{words["unit"]}</label>'
                f'<select class="form-select form-select-sm px-1" id="line-{pk}-unit" name="value" data-col="unit" '
                f'{self._post(pk, "unit") if change else "disabled"}>{self._select("unit", line.unit)}</select>')
        return (f'<tr data-id="{pk}" data-testid="line-row" class="{"text-body-secondary" if line.is_optional else ""}">'
                f'<td class="text-body-secondary">{self._grip()}</td>'
                f'<td>{self._textarea(line, "part_number", mono=True)}{self._textarea(line, "supplier_name", small=True)}'
                f'</td><td>{self._textarea(line, "description")}<div class="d-flex flex-wrap gap-2 small mt-1">'
                f'{optional}{recurrence}{group}</div></td>'
                f'<td>{self._number_input(line, "quantity", _number(line.quantity))}</td>'
                f'<td>{unit}</td>'
                f'<td>{self._number_input(line, "unit_cost", str(line.unit_cost))}</td>'
                f'<td>{self._number_input(line, "markup_percent", "" if line.markup_percent is None else str(line.markup_percent))}</td>'
                f'<td>{self._number_input(line, "unit_price", str(line.unit_price))}</td>'
                f'<td>{self._number_input(line, "discount_percent", _number(line.discount_percent))}</td>'
                f'<td class="text-end">{self.figures(row)}</td>'
                f'<td>{self._actions(line)}</td></tr>')

    def all(self, rows) -> SafeString:
        return mark_safe("".join(self.section(row) if row["line"].kind == "section" else self.item(row)
                                 for row in rows))
