"""Quote arithmetic against hand-computed figures: each row says how the figure was worked out."""

from decimal import Decimal as D

import pytest

from quotes.totals import LineInput, QuoteArithmeticError, line_totals, quote_totals

# (quantity, unit price, unit cost, discount %) -> (gross, discount, net, cost, margin, margin %)
LINES = [
    # 3 x 12.50 = 37.50; cost 3 x 8.00 = 24.00; margin 13.50 = 36 % of 37.50
    (("3", "12.50", "8.00", "0"), ("37.50", "0.00", "37.50", "24.00", "13.50", "36.00")),
    # 3 x 0.333 = 0.999 -> 1.00 (rounded once, on the line)
    (("3", "0.333", "0", "0"), ("1.00", "0.00", "1.00", "0.00", "1.00", "100.00")),
    # 1.5 x 10.005 = 15.0075 -> 15.01
    (("1.5", "10.005", "0", "0"), ("15.01", "0.00", "15.01", "0.00", "15.01", "100.00")),
    # 10 x 19.99 = 199.90; 12.5 % of it = 24.9875 -> 24.99; net 174.91; cost 140.00; 34.91 / 174.91 = 19.959 %
    (("10", "19.99", "14.00", "12.5"), ("199.90", "24.99", "174.91", "140.00", "34.91", "19.96")),
    # half-up, not banker's: 0.125 -> 0.13; 50 % of 0.13 = 0.065 -> 0.07; net 0.06
    (("1", "0.125", "0", "50"), ("0.13", "0.07", "0.06", "0.00", "0.06", "100.00")),
    # 1234.567 m x 0.4321 = 533.4564007 -> 533.46
    (("1234.567", "0.4321", "0", "0"), ("533.46", "0.00", "533.46", "0.00", "533.46", "100.00")),
    # sold below cost: 2 x 10.00 = 20.00, cost 24.00: margin -4.00, -20 %
    (("2", "10.00", "12.00", "0"), ("20.00", "0.00", "20.00", "24.00", "-4.00", "-20.00")),
    # zero is a price (a free survey): no margin percentage to speak of
    (("1", "0", "0", "0"), ("0.00", "0.00", "0.00", "0.00", "0.00", None)),
    # 100 % discount: everything given away, the cost remains
    (("4", "25.00", "5.00", "100"), ("100.00", "100.00", "0.00", "20.00", "-20.00", None)),
]


@pytest.mark.parametrize(("given", "expected"), LINES)
def test_each_line_is_rounded_once_to_the_penny(given, expected):
    quantity, price, cost, discount = (D(value) for value in given)
    totals = line_totals(LineInput(key=1, quantity=quantity, unit_price=price, unit_cost=cost,
                                   discount_percent=discount))
    expected = tuple(None if value is None else D(value) for value in expected)
    assert (totals.gross, totals.discount, totals.net, totals.cost, totals.margin, totals.margin_percent) == expected


@pytest.mark.parametrize(("field", "value", "message"), [
    ("unit_price", D("-0.01"), "unit price cannot be negative"),
    ("quantity", D("-1"), "quantity cannot be negative"),
    ("unit_cost", D("-5"), "unit cost cannot be negative"),
    ("discount_percent", D("100.01"), "discount must be between 0 and 100 %"),
])
def test_impossible_lines_are_refused(field, value, message):
    line = LineInput(key=1, **{"quantity": D(1), "unit_price": D(10), field: value})
    with pytest.raises(QuoteArithmeticError, match=message):
        line_totals(line)


def quote():
    return [
        LineInput(key="cable", section="install", quantity=D(3), unit_price=D("12.50"), unit_cost=D("8.00")),
        LineInput(key="panels", section="install", quantity=D(10), unit_price=D("19.99"), unit_cost=D("14.00"),
                  discount_percent=D("12.5")),
        LineInput(key="good", section="switch", quantity=D(1), unit_price=D("500.00"), unit_cost=D("400.00"),
                  alternative_group="switch"),
        LineInput(key="better", section="switch", quantity=D(1), unit_price=D("750.00"), unit_cost=D("600.00"),
                  alternative_group="switch", alternative_chosen=True),
        LineInput(key="best", section="switch", quantity=D(1), unit_price=D("1000.00"), unit_cost=D("800.00"),
                  alternative_group="switch"),
        LineInput(key="ups", section="extras", quantity=D(1), unit_price=D("100.00"), unit_cost=D("70.00"),
                  optional=True),
        LineInput(key="support", quantity=D(2), unit_price=D("45.00"), unit_cost=D("20.00"), recurrence="monthly"),
        LineInput(key="licence", quantity=D(1), unit_price=D("1200.00"), unit_cost=D("900.00"), recurrence="annual"),
    ]


def test_a_whole_quote_hand_computed():
    totals = quote_totals(quote(), tax_rate=D("20"))
    one_off = totals.one_off
    # counted one-off: 37.50 + 174.91 + 750.00 (the chosen switch) = 962.41; gross 37.50 + 199.90 + 750.00 = 987.40
    assert (one_off.gross, one_off.discount, one_off.net) == (D("987.40"), D("24.99"), D("962.41"))
    # VAT 20 % of 962.41 = 192.482 -> 192.48; total 1,154.89
    assert (one_off.tax, one_off.total) == (D("192.48"), D("1154.89"))
    # cost 24.00 + 140.00 + 600.00 = 764.00; margin 198.41 = 20.6159 % of 962.41
    assert (one_off.cost, one_off.margin, one_off.margin_percent) == (D("764.00"), D("198.41"), D("20.62"))
    # monthly: 2 x 45.00 = 90.00 + 18.00 VAT; annual: 1,200.00 + 240.00 VAT
    assert (totals.recurring["monthly"].net, totals.recurring["monthly"].total) == (D("90.00"), D("108.00"))
    assert (totals.recurring["annual"].net, totals.recurring["annual"].tax, totals.recurring["annual"].total) == (
        D("1200.00"), D("240.00"), D("1440.00"))
    # the optional UPS is shown apart; sections add up their counted one-off lines only
    assert totals.optional_net == D("100.00")
    assert totals.sections == {"install": D("212.41"), "switch": D("750.00"), "extras": D("0.00")}
    assert [key for key, line in totals.lines.items() if not line.counted] == ["good", "best", "ups"]


def test_an_alternative_group_with_no_choice_counts_its_first_option_and_two_choices_are_refused():
    lines = [line for line in quote() if line.key not in ("better",)]
    assert quote_totals(lines, tax_rate=D("20")).sections["switch"] == D("500.00")
    doubled = [LineInput(key=line.key, quantity=line.quantity, unit_price=line.unit_price,
                         alternative_group=line.alternative_group, alternative_chosen=bool(line.alternative_group))
               for line in quote()]
    with pytest.raises(QuoteArithmeticError, match="alternative group 'switch' has 3 chosen options"):
        quote_totals(doubled, tax_rate=D("20"))


def test_zero_tax_and_an_empty_quote():
    assert quote_totals(quote(), tax_rate=D("0")).one_off.total == D("962.41")
    empty = quote_totals([], tax_rate=D("20"))
    assert (empty.one_off.total, empty.one_off.margin_percent, empty.recurring) == (D("0.00"), None, {})


# The customer's choice (portal): optional lines included, one option picked per alternative group ---------------

def _choice_lines():
    return [
        LineInput(key=1, quantity=D(2), unit_price=D("100.00")),                                   # 200.00 always
        LineInput(key=2, quantity=D(1), unit_price=D("50.00"), optional=True),                     # optional
        LineInput(key=3, quantity=D(1), unit_price=D("300.00"), alternative_group="FW", alternative_chosen=True),
        LineInput(key=4, quantity=D(1), unit_price=D("450.00"), alternative_group="FW"),
        LineInput(key=5, quantity=D(1), unit_price=D("10.00"), optional=True, recurrence="monthly"),
    ]


def test_without_a_selection_the_quote_counts_as_built():
    # 200 + 300 (chosen option) = 500; VAT 20 % = 100; optional 50 + 10 shown apart
    totals = quote_totals(_choice_lines(), tax_rate=D(20))
    assert (totals.one_off.net, totals.one_off.tax, totals.one_off.total) == (D("500.00"), D("100.00"), D("600.00"))
    assert totals.optional_net == D("60.00")
    assert totals.recurring == {}


def test_a_selection_counts_the_optional_lines_it_includes_and_the_options_it_picks():
    from quotes.totals import Selection

    # 200 + 50 (optional, included) + 450 (pro picked) = 700; VAT 140; the monthly optional line stays out
    totals = quote_totals(_choice_lines(), tax_rate=D(20), selection=Selection(optional=frozenset({2}),
                                                                                alternatives={"FW": 4}))
    assert (totals.one_off.net, totals.one_off.tax, totals.one_off.total) == (D("700.00"), D("140.00"), D("840.00"))
    assert totals.optional_net == D("10.00")
    assert [totals.lines[key].counted for key in (1, 2, 3, 4, 5)] == [True, True, False, True, False]
    # including the monthly optional line opens a monthly total of 10.00 + 2.00 VAT
    monthly = quote_totals(_choice_lines(), tax_rate=D(20), selection=Selection(optional=frozenset({5}))).recurring
    assert (monthly["monthly"].net, monthly["monthly"].total) == (D("10.00"), D("12.00"))


@pytest.mark.parametrize("selection, message", [
    ({"optional": frozenset({1})}, "only optional lines can be included"),
    ({"alternatives": {"FW": 1}}, "is not an option of the alternative group 'FW'"),
    ({"alternatives": {"Nope": 3}}, "no alternative group 'Nope'"),
])
def test_a_selection_that_does_not_match_the_quote_is_refused(selection, message):
    from quotes.totals import Selection

    with pytest.raises(QuoteArithmeticError, match=message):
        quote_totals(_choice_lines(), tax_rate=D(20), selection=Selection(**selection))
