"""Feature 5: Quote AI on the builder of a draft quote.

- "Build with AI": the estimator describes the job; the model proposes lines drawn from the tenant's catalogue
  (candidates found by the catalogue search for the description's key words) and labour rates, referenced by id.
  The server checks every proposed line (ids exist in this tenant, quantities and prices are non-negative numbers),
  prices catalogue and labour lines from the tenant's own figures, and computes cost, price and margin with
  quotes/totals.py. The result is a preview: nothing reaches the quote until the estimator ticks lines and inserts
  them (`quote_build_insert`, through the quote's line services).
- "Review with AI": the quote's header, lines with cost, price and margin, totals and flags go to the model, which
  returns findings with a severity and the line concerned; follow-up questions continue the conversation, which is
  stored on the job. The review never writes to the quote.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection
from django.utils.translation import gettext as _

from ai_prompts.errors import AiError
from ai_prompts.features.action_suggestions import company_profile
from ai_prompts.features.registry import Feature, feature_register
from core.notifications import user_group_name

BUILD_KEY = "quote_build"
REVIEW_KEY = "quote_review"
FOLLOWUP_KEY = "quote_review_followup"

MAX_KEYWORDS = 12
PER_KEYWORD = 8
MAX_CANDIDATES = 40
MAX_PROPOSED_LINES = 60
MAX_DESCRIPTION = 2000
QUANTITY_STEP = Decimal("0.001")
PENNY = Decimal("0.01")
QUANTITY_MAX = Decimal("999999999.999")  # QuoteLine.quantity: 12 digits, 3 decimals
MONEY_MAX = Decimal("9999999999.99")  # QuoteLine.unit_cost / unit_price: 12 digits, 2 decimals
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}

# Words that never identify a product: searching the catalogue for them would only add noise.
STOP_WORDS = frozenset("""
a an and are as at be been but by can could do for from has have in into is it its may need needs new of off on
one or our per plus some such than that the their them then there these they this those to two three four five
up upon us was we were what when where which while who will with within without would you your also about after
all any each every other only into over under more most much many few fit fitted fitting install installed
installing installation supply supplied supplying provide provided providing replace replaced replacing job work
works customer site please quote price pricing cost costs approx approximately around including include includes
existing current currently like using use used make sure want wants would should must just well very
""".split())

_WORD = re.compile(r"[^\W_][\w\-./]*", re.UNICODE)


# Subjects --------------------------------------------------------------------------------------------------------

def _quote_for_user(user, subject_id):
    from quotes.selectors.quotes import quote_get_for_user

    return quote_get_for_user(user=user, pk=subject_id)


def _quote(subject_id):
    from quotes.models import Quote

    return Quote.objects.select_related("customer", "contact", "site").get(pk=subject_id)


def _requester_group(job) -> list[str]:
    return [user_group_name(schema=connection.schema_name, user_id=job.requested_by_id)] if job.requested_by_id else []


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _number(value: Decimal) -> str:
    """A quantity as people write it: 4, 2.5 (never 4.000 or 4E+1)."""
    text = f"{Decimal(value).normalize():f}"
    return text


# Build with AI: what the model is told ---------------------------------------------------------------------------

def _stem(word: str) -> str:
    """A plural's singular, enough for the catalogue's "contains" search ("points" finds "access point")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def description_keywords(text: str) -> list[str]:
    """The words of the job description worth looking up in the catalogue, in order, at most MAX_KEYWORDS:
    no stop words or bare numbers; short words only when they carry a digit ("2m", "1u")."""
    keywords: list[str] = []
    for raw in _WORD.findall(text.lower()):
        word = raw.strip("-./")
        if not word or word in STOP_WORDS or word.replace(".", "").isdigit():
            continue
        if len(word) < 3 and not any(character.isdigit() for character in word):
            continue
        word = _stem(word) if word.isalpha() else word
        if word not in keywords:
            keywords.append(word)
        if len(keywords) == MAX_KEYWORDS:
            break
    return keywords


def catalogue_candidates(description: str) -> list:
    """Active catalogue products found by the builder's own catalogue search for each key word, best matches of
    each word first, without repeats, at most MAX_CANDIDATES."""
    from quotes.selectors.catalogue import product_search

    found: dict[int, object] = {}
    for word in description_keywords(description):
        for product in product_search(search=word, limit=PER_KEYWORD):
            found.setdefault(product.pk, product)
            if len(found) == MAX_CANDIDATES:
                return list(found.values())
    return list(found.values())


def candidate_text(product) -> str:
    return (f"id {product.pk} | {product.part_number} | {_one_line(product.description)} | {product.unit} | "
            f"cost {product.cost_price} | list {product.list_price} | {product.supplier.name}")


def labour_rates_text() -> list[str] | str:
    from quotes.models import LabourRate

    rates = LabourRate.objects.filter(is_active=True).order_by("name")[:50]
    return [f"id {rate.pk} | {rate.name} | hour: cost {rate.cost_per_hour}, sell {rate.sell_per_hour} | "
            f"day: cost {rate.cost_per_day}, sell {rate.sell_per_day}" for rate in rates] or "none defined"


def quote_context(quote) -> str:
    lines = list(quote.lines.order_by("position", "id")[:30])
    text = f"{quote.reference} {quote.title} for {quote.customer.name}, currency {quote.currency}"
    if not lines:
        return text + "; no lines yet"
    existing = "; ".join(
        f"section {_one_line(line.description, 80)}" if line.kind == "section"
        else f"{_number(line.quantity)} {line.unit} {line.part_number + ' ' if line.part_number else ''}"
             f"{_one_line(line.description, 80)}" for line in lines)
    return f"{text}; lines already on it: {existing}"


def build_variables(job, quote) -> dict:
    description = job.input.get("description", "")
    return {
        "company_profile": company_profile(),
        "quote_context": quote_context(quote),
        "catalogue_candidates": [candidate_text(product) for product in catalogue_candidates(description)]
        or "no matching products in the catalogue",
        "labour_rates": labour_rates_text(),
        "job_description": description,
    }


# Build with AI: the server's checks of the answer ----------------------------------------------------------------

class LineRefused(Exception):
    pass


def _amount(value, *, label: str, step: Decimal, maximum: Decimal) -> Decimal:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise LineRefused(_("The %(what)s is missing or not a number.") % {"what": label})
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise LineRefused(_("The %(what)s “%(value)s” is not a number.") % {"what": label, "value": value}) from None
    if not number.is_finite():
        raise LineRefused(_("The %(what)s “%(value)s” is not a number.") % {"what": label, "value": value})
    if number < 0:
        raise LineRefused(_("The %(what)s cannot be negative (%(value)s).") % {"what": label, "value": value})
    if number > maximum:
        raise LineRefused(_("The %(what)s %(value)s is too large.") % {"what": label, "value": value})
    return number.quantize(step, rounding=ROUND_HALF_UP)


def _integer_id(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    raise LineRefused(_("The reference “%(value)s” is not an id.") % {"value": value})


def _checked_line(raw: dict, products: dict, rates: dict) -> dict:
    """One proposed line as it would be inserted; LineRefused says why it cannot be."""
    from quotes.models import ProductUnit

    kind = raw.get("kind") if raw.get("kind") in ("item", "section") else "item"
    description = str(raw.get("description") or "").strip()[:MAX_DESCRIPTION]
    line = {"kind": kind, "description": description, "part_number": "", "supplier_name": "", "product_id": None,
            "labour_rate_id": None, "labour_rate": "", "source": "", "quantity": "", "unit": "", "unit_cost": "",
            "unit_price": "", "is_optional": raw.get("is_optional") is True,
            "recurrence": raw.get("recurrence") if raw.get("recurrence") in ("monthly", "annual") else "",
            "reason": str(raw.get("reason") or "").strip()[:500]}
    if kind == "section":
        line.update(is_optional=False, recurrence="")
        if not description:
            raise LineRefused(_("A section heading needs a title."))
        return line
    product_id, rate_id = _integer_id(raw.get("product_id")), _integer_id(raw.get("labour_rate_id"))
    quantity = _amount(raw.get("quantity"), label=_("quantity"), step=QUANTITY_STEP, maximum=QUANTITY_MAX)
    line["quantity"] = str(quantity)
    if product_id is not None:
        product = products.get(product_id)
        line["product_id"] = product_id
        if product is None:
            raise LineRefused(_("Product #%(id)s is not in your catalogue (or is no longer active): this line "
                                "cannot be inserted.") % {"id": product_id})
        line.update(source="catalogue", description=product.description, part_number=product.part_number[:40],
                    supplier_name=product.supplier.name[:60], unit=product.unit, unit_cost=str(product.cost_price),
                    unit_price=str(product.list_price))
        return line
    if rate_id is not None:
        rate = rates.get(rate_id)
        line["labour_rate_id"] = rate_id
        if rate is None:
            raise LineRefused(_("Labour rate #%(id)s does not exist (or is no longer active): this line cannot be "
                                "inserted.") % {"id": rate_id})
        per_day = raw.get("unit") == ProductUnit.DAY
        line.update(source="labour", labour_rate=rate.name, description=description or rate.name,
                    unit=ProductUnit.DAY if per_day else ProductUnit.HOUR,
                    unit_cost=str(rate.cost_per_day if per_day else rate.cost_per_hour),
                    unit_price=str(rate.sell_per_day if per_day else rate.sell_per_hour))
        return line
    line["source"] = "free"
    if raw.get("unit") not in ProductUnit.values:
        raise LineRefused(_("The unit “%(unit)s” is not one CCS knows.") % {"unit": raw.get("unit")})
    line["unit"] = raw["unit"]
    line["unit_cost"] = str(_amount(raw.get("unit_cost"), label=_("unit cost"), step=PENNY, maximum=MONEY_MAX))
    line["unit_price"] = str(_amount(raw.get("unit_price"), label=_("unit price"), step=PENNY, maximum=MONEY_MAX))
    if not description:
        raise LineRefused(_("The line has no description."))
    return line


def _money(value) -> str | None:
    return None if value is None else str(value)


def build_postprocess(job, quote, data: dict) -> dict:
    """The preview: every proposed line checked (a refused one keeps its reason and cannot be ticked), priced, and
    the cost, price and margin of each line and of all usable lines together, by quotes/totals.py."""
    from quotes.models import LabourRate, Product
    from quotes.totals import LineInput, QuoteArithmeticError, quote_totals

    proposed = [raw for raw in (data.get("lines") or []) if isinstance(raw, dict)][:MAX_PROPOSED_LINES]
    if not proposed:
        raise AiError(_("The AI proposed no lines: describe the job in more detail and ask again."))
    product_ids = {raw["product_id"] for raw in proposed if type(raw.get("product_id")) is int}
    rate_ids = {raw["labour_rate_id"] for raw in proposed if type(raw.get("labour_rate_id")) is int}
    products = Product.objects.select_related("supplier").filter(is_active=True).in_bulk(product_ids)
    rates = LabourRate.objects.filter(is_active=True).in_bulk(rate_ids)
    lines, inputs, section = [], [], None
    for index, raw in enumerate(proposed):
        try:
            line, problem = _checked_line(raw, products, rates), ""
        except LineRefused as refusal:
            line = {"kind": raw.get("kind") if raw.get("kind") in ("item", "section") else "item",
                    "description": str(raw.get("description") or "")[:MAX_DESCRIPTION],
                    "quantity": str(raw.get("quantity", "")), "unit": str(raw.get("unit", "")),
                    "unit_cost": str(raw.get("unit_cost", "")), "unit_price": str(raw.get("unit_price", "")),
                    "product_id": raw.get("product_id"), "labour_rate_id": raw.get("labour_rate_id"),
                    "reason": str(raw.get("reason") or "")[:500], "source": "", "part_number": "",
                    "is_optional": raw.get("is_optional") is True, "recurrence": ""}
            problem = str(refusal)
        line.update(index=index, problem=problem)
        lines.append(line)
        if line["kind"] == "section":
            section = index if not problem else section
        elif not problem:
            inputs.append(LineInput(key=index, quantity=Decimal(line["quantity"]),
                                    unit_price=Decimal(line["unit_price"]), unit_cost=Decimal(line["unit_cost"]),
                                    section=section, optional=line["is_optional"], recurrence=line["recurrence"]))
    try:
        totals = quote_totals(inputs, tax_rate=Decimal(quote.tax_rate))
    except QuoteArithmeticError as error:  # the checks above make this unreachable; say so rather than crash
        raise AiError(_("The proposed lines cannot be priced: %(error)s") % {"error": error}) from error
    for line in lines:
        figures = totals.lines.get(line["index"])
        if figures is not None and line["kind"] == "item":
            line.update(cost=_money(figures.cost), net=_money(figures.net), margin=_money(figures.margin),
                        margin_percent=_money(figures.margin_percent), counted=figures.counted)
    one_off = totals.one_off
    return {
        "summary": str(data.get("summary") or ""),
        "assumptions": [str(item) for item in (data.get("assumptions") or []) if str(item).strip()][:20],
        "lines": lines,
        "totals": {"cost": _money(one_off.cost), "net": _money(one_off.net), "tax": _money(one_off.tax),
                   "total": _money(one_off.total), "margin": _money(one_off.margin),
                   "margin_percent": _money(one_off.margin_percent), "optional": _money(totals.optional_net),
                   "recurring": {period: {"net": _money(figures.net), "cost": _money(figures.cost)}
                                 for period, figures in totals.recurring.items()}},
        "usable": sum(1 for line in lines if not line["problem"]),
        "refused": sum(1 for line in lines if line["problem"]),
        "inserted": [],
    }


FEATURE_BUILD = feature_register(Feature(
    key="quote_build",
    prompt_key=BUILD_KEY,
    view_permission="quotes.view_quotes",
    subject_for_user=_quote_for_user,
    subject_load=_quote,
    panel_template="ai_prompts/features/quote_build.html#panel",
    build_variables=build_variables,
    postprocess=build_postprocess,
    # the latest proposal belongs to the quote: a colleague opening it sees the preview (and may insert from it)
    push_groups=_requester_group,
))


# Review with AI --------------------------------------------------------------------------------------------------

def _flags(line, figures) -> str:
    flags = []
    if line.is_optional:
        flags.append("optional (not in the totals)")
    if line.alternative_group:
        flags.append(f"alternative of group “{line.alternative_group}”, "
                     + ("chosen" if figures.counted else "not chosen (not in the totals)"))
    if line.recurrence:
        flags.append(f"recurring {line.recurrence}")
    if line.product_id:
        flags.append("from the catalogue")
    return ", ".join(flags)


def review_material(quote) -> dict:
    """The quote as the review sees it: header, numbered lines with the figures CCS computes, and totals."""
    from quotes.services.pricing import pricing_settings_ensure
    from quotes.services.quotes import line_inputs
    from quotes.totals import quote_totals

    lines = list(quote.lines.order_by("position", "id"))
    totals = quote_totals(line_inputs(lines), tax_rate=Decimal(quote.tax_rate))
    header = [f"{quote.reference} R{quote.revision} {quote.title}", f"Status: {quote.get_status_display()}",
              f"Customer: {quote.customer.name}"]
    if quote.contact_id:
        header.append(f"Contact: {quote.contact}")
    if quote.site_id:
        header.append(f"Site: {quote.site}")
    header.append(f"Valid until {quote.valid_until:%Y-%m-%d}; currency {quote.currency}; VAT {quote.tax_rate} %")
    header.append(f"Introduction: {quote.introduction.strip() or '(none)'}")
    header.append(f"Terms: {quote.terms.strip() or '(none)'}")
    rows, numbers = [], {}
    for number, line in enumerate(lines, start=1):
        numbers[number] = _one_line(line.description, 60) or line.part_number
        if line.kind == "section":
            rows.append(f"#{number} | section | {_one_line(line.description)}")
            continue
        figures = totals.lines[line.pk]
        margin = f"{figures.margin}" + (f" ({figures.margin_percent} %)" if figures.margin_percent is not None else "")
        rows.append(f"#{number} | item | {line.part_number or '-'} | {_one_line(line.description) or '(no description)'} | "
                    f"{_number(line.quantity)} {line.unit} | {line.unit_cost} | {line.unit_price} | "
                    f"{_number(line.discount_percent)} | {figures.cost} | {figures.net} | {margin} | "
                    f"{_flags(line, figures)}")

    def period(name, figures):
        margin = f"{figures.margin}" + (f" ({figures.margin_percent} %)" if figures.margin_percent is not None else "")
        return (f"{name}: gross {figures.gross}, discounts {figures.discount}, net {figures.net}, VAT {figures.tax}, "
                f"total {figures.total}, cost {figures.cost}, margin {margin}")

    summary = [period("One-off", totals.one_off)]
    summary += [period(name.capitalize(), figures) for name, figures in totals.recurring.items()]
    if totals.optional_net:
        summary.append(f"Optional items (not counted): net {totals.optional_net}")
    return {"quote_header": "\n".join(header), "quote_lines": rows or "no lines", "quote_totals": "\n".join(summary),
            "margin_floor": str(pricing_settings_ensure().margin_floor_percent), "numbers": numbers}


def review_text(state: dict) -> str:
    findings = [f"- {finding['severity']}, {('line #' + str(finding['line'])) if finding.get('line') else 'quote'}: "
                f"{finding['finding']}" for finding in state.get("findings", [])]
    return "\n".join([f"Summary: {state.get('summary', '')}", *(findings or ["- no findings"])])


def conversation_text(state: dict) -> str:
    exchanges = state.get("conversation") or []
    return "\n\n".join(f"Q: {exchange['question']}\nA: {exchange['answer']}" for exchange in exchanges) or "none"


def review_variables(job, quote) -> dict:
    material = review_material(quote)
    material.pop("numbers")
    variables = {**material, "company_profile": company_profile()}
    if job.input.get("question"):
        state = job.input.get("state") or {}
        variables.update(review=review_text(state), conversation=conversation_text(state),
                         question=job.input["question"])
    return variables


def review_postprocess(job, quote, data: dict) -> dict:
    if job.input.get("question"):
        state = job.input.get("state") or {}
        exchange = {"question": job.input["question"], "answer": str(data.get("answer", "")).strip()}
        return {**state, "conversation": [*(state.get("conversation") or []), exchange]}
    numbers = review_material(quote)["numbers"]
    findings = []
    for finding in data.get("findings") or []:
        number = finding.get("line") if type(finding.get("line")) is int else 0
        if number and number in numbers:
            label = f"#{number} {numbers[number]}".strip()
        elif number:
            label = _("line #%(n)s (not on the quote)") % {"n": number}
        else:
            label = ""
        findings.append({"category": finding.get("category", ""), "severity": finding.get("severity", "low"),
                         "line": number, "line_label": label, "finding": str(finding.get("finding", "")).strip()})
    findings.sort(key=lambda finding: (SEVERITY_ORDER.get(finding["severity"], 3), finding["line"] or 0))
    return {"summary": str(data.get("summary") or ""), "findings": findings, "conversation": [],
            "lines_reviewed": len(numbers)}


FEATURE_REVIEW = feature_register(Feature(
    key="quote_review",
    prompt_key=REVIEW_KEY,
    view_permission="quotes.view_quotes",
    subject_for_user=_quote_for_user,
    subject_load=_quote,
    panel_template="ai_prompts/features/quote_review.html#panel",
    build_variables=review_variables,
    prompt_key_for=lambda job: FOLLOWUP_KEY if job.input.get("question") else REVIEW_KEY,
    postprocess=review_postprocess,
    push_groups=_requester_group,
))
