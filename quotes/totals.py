"""Quote arithmetic, exact to the penny: pure functions on Decimals, no database.

Each line is rounded once (ROUND_HALF_UP to 0.01): its gross (quantity x unit price), its discount, and its cost;
totals are sums of rounded lines, and tax is computed on the summed net (UK VAT may be worked out on the invoice
total). Optional lines are shown apart and never counted; of an alternative group (good / better / best) exactly
one option counts; recurring lines (monthly, annual) have their own totals per period and never mix with the
one-off totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
ONE_OFF = ""
RECURRENCES = ("monthly", "annual")


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


class QuoteArithmeticError(ValueError):
    """A line that cannot be priced (negative price, discount over 100 %, two chosen options in one group)."""


@dataclass(frozen=True)
class LineInput:
    key: Hashable
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal = ZERO
    discount_percent: Decimal = ZERO
    section: Hashable | None = None
    optional: bool = False
    alternative_group: str = ""
    alternative_chosen: bool = False
    recurrence: str = ONE_OFF  # "", "monthly" or "annual"


@dataclass(frozen=True)
class Selection:
    """A customer's choice (the portal): the optional lines they include and the option picked per alternative group.
    Groups not named keep the quote's chosen option."""

    optional: frozenset = frozenset()
    alternatives: dict = field(default_factory=dict)  # group name -> key of the picked option


@dataclass(frozen=True)
class LineTotals:
    gross: Decimal
    discount: Decimal
    net: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    counted: bool  # False for optional lines and alternatives not chosen


@dataclass(frozen=True)
class PeriodTotals:
    gross: Decimal = ZERO
    discount: Decimal = ZERO
    net: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO
    cost: Decimal = ZERO

    @property
    def margin(self) -> Decimal:
        return self.net - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        return margin_percent(self.net, self.cost)


@dataclass(frozen=True)
class QuoteTotals:
    one_off: PeriodTotals
    recurring: dict[str, PeriodTotals]  # only the periods that have lines
    optional_net: Decimal
    sections: dict[Hashable, Decimal]  # one-off net of the counted lines of each section
    lines: dict[Hashable, LineTotals] = field(repr=False)


def margin_percent(net: Decimal, cost: Decimal) -> Decimal | None:
    """Margin on the selling price; None when nothing is sold (a zero line has no meaningful margin)."""
    if net == 0:
        return None
    return ((net - cost) * HUNDRED / net).quantize(PENNY, rounding=ROUND_HALF_UP)


def line_totals(line: LineInput, *, counted: bool = True) -> LineTotals:
    for name in ("quantity", "unit_price", "unit_cost"):
        if getattr(line, name) < 0:
            raise QuoteArithmeticError(f"{name.replace('_', ' ')} cannot be negative")
    if not ZERO <= line.discount_percent <= HUNDRED:
        raise QuoteArithmeticError("discount must be between 0 and 100 %")
    if line.recurrence not in (ONE_OFF, *RECURRENCES):
        raise QuoteArithmeticError(f"unknown recurrence {line.recurrence!r}")
    gross = money(line.quantity * line.unit_price)
    discount = money(gross * line.discount_percent / HUNDRED)
    net = gross - discount
    cost = money(line.quantity * line.unit_cost)
    return LineTotals(gross=gross, discount=discount, net=net, cost=cost, margin=net - cost,
                      margin_percent=margin_percent(net, cost), counted=counted)


def _chosen_alternatives(lines: list[LineInput], picked: dict | None = None) -> set[Hashable]:
    """Per group, the chosen option (`picked` wins); the first one when none is marked; two marked is an error."""
    groups: dict[str, list[LineInput]] = defaultdict(list)
    for line in lines:
        if line.alternative_group and not line.optional:
            groups[line.alternative_group].append(line)
    chosen = set()
    for name, options in groups.items():
        if picked and name in picked:
            if picked[name] not in {line.key for line in options}:
                raise QuoteArithmeticError(f"{picked[name]!r} is not an option of the alternative group {name!r}")
            chosen.add(picked[name])
            continue
        marked = [line for line in options if line.alternative_chosen]
        if len(marked) > 1:
            raise QuoteArithmeticError(f"alternative group {name!r} has {len(marked)} chosen options; choose one")
        chosen.add((marked or options)[0].key)
    if picked and set(picked) - set(groups):
        raise QuoteArithmeticError(f"no alternative group {sorted(set(picked) - set(groups))[0]!r} on this quote")
    return chosen


def _period(items: list[tuple[LineTotals, LineInput]], tax_rate: Decimal) -> PeriodTotals:
    gross = sum((totals.gross for totals, _line in items), ZERO)
    discount = sum((totals.discount for totals, _line in items), ZERO)
    net = sum((totals.net for totals, _line in items), ZERO)
    cost = sum((totals.cost for totals, _line in items), ZERO)
    tax = money(net * tax_rate / HUNDRED)
    return PeriodTotals(gross=gross, discount=discount, net=net, tax=tax, total=net + tax, cost=cost)


def quote_totals(lines: Iterable[LineInput], *, tax_rate: Decimal, selection: Selection | None = None) -> QuoteTotals:
    """With a `selection`, the optional lines it names are counted (and leave the optional total) and its picks
    decide the alternative groups; a key it names that is not an optional line or not in the group is an error."""
    if tax_rate < 0:
        raise QuoteArithmeticError("tax rate cannot be negative")
    lines = list(lines)
    included = frozenset(selection.optional) if selection else frozenset()
    if included - {line.key for line in lines if line.optional}:
        raise QuoteArithmeticError("only optional lines can be included")
    chosen = _chosen_alternatives(lines, selection.alternatives if selection else None)
    per_line: dict[Hashable, LineTotals] = {}
    by_period: dict[str, list[tuple[LineTotals, LineInput]]] = defaultdict(list)
    optional_net = ZERO
    sections: dict[Hashable, Decimal] = {}
    for line in lines:
        if line.optional:
            counted = line.key in included
        else:
            counted = not line.alternative_group or line.key in chosen
        totals = line_totals(line, counted=counted)
        per_line[line.key] = totals
        if line.section is not None:
            sections.setdefault(line.section, ZERO)
        if line.optional and not counted:
            optional_net += totals.net
        if not counted:
            continue
        by_period[line.recurrence].append((totals, line))
        if line.section is not None and line.recurrence == ONE_OFF:
            sections[line.section] += totals.net
    return QuoteTotals(
        one_off=_period(by_period.get(ONE_OFF, []), tax_rate),
        recurring={period: _period(by_period[period], tax_rate) for period in RECURRENCES if by_period.get(period)},
        optional_net=optional_net, sections=sections, lines=per_line)
