"""Feature 5 (Quote AI: Build with AI, Review with AI) end to end through Celery (eager) and the fake model."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ai_prompts.models import AiJob
from ai_prompts.services.providers import provider_settings_save
from crm.tests.factories import CustomerFactory
from quotes.models import QuoteLine
from quotes.services import quotes as services
from quotes.tests.factories import LabourRateFactory, ProductFactory, SupplierFactory
from tests.html_validity import assert_valid_html

JOB = "Wi-Fi for the school hall: 4 access points, cat6 patch leads and one day of engineer time"


@pytest.fixture
def configured(tenant1, fake_openai):
    provider_settings_save(api_key="sk-test-4321", base_url=fake_openai.url, default_model="", acting_user=None)
    return fake_openai


@pytest.fixture
def catalogue(tenant1):
    supplier = SupplierFactory(name="Ubiquiti Direct")
    return {
        "ap": ProductFactory(supplier=supplier, part_number="UAP-AC-PRO", description="UniFi access point AC Pro",
                             cost_price=D("98.00"), list_price=D("139.00")),
        "lead": ProductFactory(supplier=supplier, part_number="C6-PATCH-2M", description="Cat6 patch lead 2m",
                               cost_price=D("1.20"), list_price=D("2.50")),
        "toner": ProductFactory(supplier=supplier, part_number="TN-2420", description="Toner cartridge black"),
        "rate": LabourRateFactory(name="Engineer", cost_per_hour=D("30.00"), sell_per_hour=D("65.00"),
                                  cost_per_day=D("220.00"), sell_per_day=D("480.00")),
    }


def _line(**fields):
    line = {"kind": "item", "description": "", "product_id": None, "labour_rate_id": None, "quantity": 1,
            "unit": "each", "unit_cost": 0, "unit_price": 0, "is_optional": False, "recurrence": "", "reason": ""}
    return {**line, **fields}


def _answer(catalogue):
    return {"summary": "Four access points with leads and a day on site.", "assumptions": ["Cabling exists"],
            "lines": [
                _line(kind="section", description="Wireless"),
                _line(description="Access point", product_id=catalogue["ap"].pk, quantity=4, unit_cost=1,
                      unit_price=1, reason="Coverage of the hall"),
                _line(description="Installation and configuration", labour_rate_id=catalogue["rate"].pk, quantity=1,
                      unit="day", reason="One engineer day"),
                _line(description="Ceiling mounting kit", quantity=4, unit_cost=5, unit_price=9),
                _line(description="Made-up switch", product_id=999999, quantity=1),
                _line(description="Cable tray", quantity=2, unit_cost=4, unit_price=-3),
            ]}


@pytest.fixture
def quote(admin_user):
    return services.quote_create(customer=CustomerFactory(name="Oakfield School"), acting_user=admin_user,
                                 title="Hall Wi-Fi")


def _build(client, quote, django_capture_on_commit_callbacks, description=JOB):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/ai/quotes/{quote.pk}/build/run/", {"description": description}, HTTP_HX_REQUEST="true")


def test_build_sends_catalogue_candidates_and_labour_rates_and_checks_every_proposed_line(
    configured, catalogue, quote, admin_client1, django_capture_on_commit_callbacks
):
    # given
    configured.script(_answer(catalogue))
    # when
    response = _build(admin_client1, quote, django_capture_on_commit_callbacks)
    # then the model saw the description, the catalogue candidates of its key words and the labour rates
    assert response.status_code == 200
    user_message = configured.requests[0]["messages"][1]["content"]
    ap, lead, rate = catalogue["ap"], catalogue["lead"], catalogue["rate"]
    assert f"id {ap.pk} | UAP-AC-PRO | UniFi access point AC Pro | each | cost 98.00 | list 139.00 | Ubiquiti Direct" \
        in user_message
    assert f"id {lead.pk} | C6-PATCH-2M | Cat6 patch lead 2m | each | cost 1.20 | list 2.50 | Ubiquiti Direct" \
        in user_message
    assert f"id {rate.pk} | Engineer | hour: cost 30.00, sell 65.00 | day: cost 220.00, sell 480.00" in user_message
    assert "TN-2420" not in user_message  # not a candidate for these words
    assert user_message.endswith(JOB)
    assert configured.requests[0]["response_format"]["json_schema"]["name"] == "quote_build"
    # and the preview is priced by the server: catalogue and labour lines from our own figures
    job = AiJob.objects.get(feature="quote_build")
    lines = job.output["lines"]
    assert [line["problem"] for line in lines] == [
        "", "", "", "",
        "Product #999999 is not in your catalogue (or is no longer active): this line cannot be inserted.",
        "The unit price cannot be negative (-3)."]
    assert (lines[1]["unit_cost"], lines[1]["unit_price"], lines[1]["net"], lines[1]["margin"],
            lines[1]["margin_percent"]) == ("98.00", "139.00", "556.00", "164.00", "29.50")
    assert (lines[2]["unit"], lines[2]["unit_cost"], lines[2]["unit_price"], lines[2]["net"]) == (
        "day", "220.00", "480.00", "480.00")
    assert (lines[3]["source"], lines[3]["net"], lines[3]["cost"]) == ("free", "36.00", "20.00")
    assert job.output["totals"]["net"] == "1072.00" and job.output["totals"]["cost"] == "632.00"
    assert job.output["totals"]["margin_percent"] == "41.04"
    # and nothing is on the quote until the estimator inserts
    assert quote.lines.count() == 0
    panel = admin_client1.get(f"/ai/quotes/{quote.pk}/build/", HTTP_HX_REQUEST="true").content.decode()
    assert "Refused: Product #999999 is not in your catalogue" in panel and "1,072.00" in panel
    assert panel.count('name="line"') == 4
    assert_valid_html(panel, fragment=True)


def test_the_preview_inserts_exactly_the_ticked_lines_with_correct_totals(
    configured, catalogue, quote, admin_client1, django_capture_on_commit_callbacks
):
    # given a preview
    configured.script(_answer(catalogue))
    _build(admin_client1, quote, django_capture_on_commit_callbacks)
    job = AiJob.objects.get(feature="quote_build")
    # when the estimator ticks the heading, the access points and the mounting kit (not the labour)
    response = admin_client1.post(f"/ai/quotes/{quote.pk}/build/{job.pk}/insert/", {"line": ["0", "1", "3"]},
                                  HTTP_HX_REQUEST="true")
    # then exactly those are on the quote, through the line services (totals and product link)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="lines-and-totals"' in html and 'id="ai-quote-build" class="card mt-3" data-ai-panel' in html
    assert response["HX-Trigger"] == f"quote-{quote.pk}-changed"
    rows = list(quote.lines.order_by("position").values_list(
        "kind", "description", "product_id", "quantity", "unit", "unit_cost", "unit_price"))
    assert rows == [("section", "Wireless", None, D("1.000"), "each", D("0.00"), D("0.00")),
                    ("item", "UniFi access point AC Pro", catalogue["ap"].pk, D("4.000"), "each", D("98.00"),
                     D("139.00")),
                    ("item", "Ceiling mounting kit", None, D("4.000"), "each", D("5.00"), D("9.00"))]
    quote.refresh_from_db()
    assert (quote.net_total, quote.tax_total, quote.grand_total, quote.margin_percent) == (
        D("592.00"), D("118.40"), D("710.40"), D("30.41"))
    assert 'data-testid="total-total">GBP 710.40<' in html
    job.refresh_from_db()
    assert job.output["inserted"] == [0, 1, 3]
    # when the estimator ticks a refused line with the labour, or a line already inserted
    refused = admin_client1.post(f"/ai/quotes/{quote.pk}/build/{job.pk}/insert/", {"line": ["2", "4"]},
                                 HTTP_HX_REQUEST="true")
    again = admin_client1.post(f"/ai/quotes/{quote.pk}/build/{job.pk}/insert/", {"line": ["1"]},
                               HTTP_HX_REQUEST="true")
    nothing = admin_client1.post(f"/ai/quotes/{quote.pk}/build/{job.pk}/insert/", {}, HTTP_HX_REQUEST="true")
    # then nothing more is inserted (not even the good labour line ticked with the refused one), and each says why
    assert refused.status_code == again.status_code == nothing.status_code == 422
    assert "Line 5 cannot be inserted: Product #999999 is not in your catalogue" in refused.content.decode()
    assert "Line 2 is already on the quote." in again.content.decode()
    assert "Tick the lines to insert." in nothing.content.decode()
    assert quote.lines.count() == 3


def test_build_needs_a_description_and_a_draft(configured, catalogue, quote, admin_user, admin_client1,
                                               django_capture_on_commit_callbacks):
    # given a preview, then the quote is sent
    configured.script(_answer(catalogue))
    assert _build(admin_client1, quote, django_capture_on_commit_callbacks, description="wifi").status_code == 422
    _build(admin_client1, quote, django_capture_on_commit_callbacks)
    job = AiJob.objects.get(feature="quote_build")
    services.line_add(quote=quote, acting_user=admin_user, fields={"description": "Survey", "unit_price": D("50")})
    services.quote_send(quote=quote, acting_user=admin_user, draw_pdf=False)
    # when
    run = _build(admin_client1, quote, django_capture_on_commit_callbacks)
    insert = admin_client1.post(f"/ai/quotes/{quote.pk}/build/{job.pk}/insert/", {"line": ["1"]},
                                HTTP_HX_REQUEST="true")
    # then
    assert run.status_code == 422 and "was sent and cannot change: revise it first." in run.content.decode()
    assert insert.status_code == 422 and "was sent and cannot change" in insert.content.decode()
    assert list(quote.lines.values_list("description", flat=True)) == ["Survey"]
    assert AiJob.objects.filter(feature="quote_build").count() == 1


def _quote_with_lines(user):
    quote = services.quote_create(customer=CustomerFactory(name="Riverside Surgery"), acting_user=user,
                                  title="Surgery network")
    services.line_add(quote=quote, acting_user=user, fields={"kind": "section", "description": "Network"})
    services.line_add(quote=quote, acting_user=user, fields={
        "description": "24-port switch", "part_number": "SW-24", "quantity": D("2"), "unit_cost": D("180.00"),
        "unit_price": D("250.00")})
    services.line_add(quote=quote, acting_user=user, fields={
        "description": "Spare switch", "quantity": D("1"), "unit_cost": D("180.00"), "unit_price": D("250.00"),
        "is_optional": True})
    services.line_add(quote=quote, acting_user=user, fields={
        "description": "Monitoring", "quantity": D("1"), "unit": "month", "unit_cost": D("5.00"),
        "unit_price": D("20.00"), "recurrence": "monthly"})
    return quote


def _state(quote):
    quote.refresh_from_db()
    lines = list(QuoteLine.objects.filter(quote=quote).order_by("position").values())
    return lines, (quote.net_total, quote.tax_total, quote.grand_total, quote.monthly_total, quote.margin_percent,
                   quote.approval, quote.updated_at)


REVIEW = {"summary": "Sound, but no labour.", "findings": [
    {"category": "missing_item", "severity": "medium", "line": 0, "finding": "No installation labour is quoted."},
    {"category": "margin", "severity": "high", "line": 2, "finding": "Check the switch margin against the floor."},
    {"category": "pricing", "severity": "low", "line": 9, "finding": "A line that is not there."}]}


def test_review_sends_the_figures_answers_follow_ups_and_never_changes_the_quote(
    configured, admin_user, admin_client1, django_capture_on_commit_callbacks
):
    # given
    quote = _quote_with_lines(admin_user)
    before = _state(quote)
    configured.script(REVIEW, {"answer": "About six hours."}, {"answer": "Yes, at the engineer rate."})
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post(f"/ai/quotes/{quote.pk}/review/run/", HTTP_HX_REQUEST="true")
    # then the model saw every line with its figures and flags, and the totals
    assert response.status_code == 200
    sent = configured.requests[0]["messages"][1]["content"]
    assert "#1 | section | Network" in sent
    assert "#2 | item | SW-24 | 24-port switch | 2 each | 180.00 | 250.00 | 0 | 360.00 | 500.00 | 140.00 (28.00 %) | " \
        in sent
    assert "#3 | item | - | Spare switch | 1 each | 180.00 | 250.00 | 0 | 180.00 | 250.00 | 70.00 (28.00 %) | " \
        "optional (not in the totals)" in sent
    assert "#4 | item | - | Monitoring | 1 month | 5.00 | 20.00 | 0 | 5.00 | 20.00 | 15.00 (75.00 %) | " \
        "recurring monthly" in sent
    assert "One-off: gross 500.00, discounts 0.00, net 500.00, VAT 100.00, total 600.00, cost 360.00, " \
        "margin 140.00 (28.00 %)" in sent
    assert "Monthly: gross 20.00" in sent and "Optional items (not counted): net 250.00" in sent
    assert "Our margin floor: 15.00 %" in sent
    panel = admin_client1.get(f"/ai/quotes/{quote.pk}/review/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(panel, fragment=True)
    findings = AiJob.objects.get(feature="quote_review").output["findings"]
    assert [(f["severity"], f["line_label"]) for f in findings] == [
        ("high", "#2 24-port switch"), ("medium", ""), ("low", "line #9 (not on the quote)")]
    assert panel.index("Check the switch margin") < panel.index("No installation labour")
    # when the estimator asks two follow-up questions
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/ai/quotes/{quote.pk}/review/ask/", {"question": "How much labour?"},
                           HTTP_HX_REQUEST="true")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/ai/quotes/{quote.pk}/review/ask/", {"question": "At which rate?"},
                           HTTP_HX_REQUEST="true")
    # then each carries the review and the earlier exchange, and the conversation is stored on the job
    first, second = (configured.requests[n]["messages"][1]["content"] for n in (1, 2))
    assert "Your review:\nSummary: Sound, but no labour.\n- high, line #2: Check the switch margin" in first
    assert "Earlier questions and answers:\nnone\n\nThe question:\nHow much labour?" in first
    assert "Earlier questions and answers:\nQ: How much labour?\nA: About six hours.\n\nThe question:\nAt which rate?" \
        in second
    latest = AiJob.objects.filter(feature="quote_review").first()
    assert latest.output["conversation"] == [{"question": "How much labour?", "answer": "About six hours."},
                                             {"question": "At which rate?", "answer": "Yes, at the engineer rate."}]
    assert latest.output["findings"] == findings
    panel = admin_client1.get(f"/ai/quotes/{quote.pk}/review/", HTTP_HX_REQUEST="true").content.decode()
    assert "About six hours." in panel and "Yes, at the engineer rate." in panel and "Check the switch margin" in panel
    # and the quote is exactly as it was
    assert _state(quote) == before


def test_a_follow_up_needs_a_review_first(configured, admin_user, admin_client1):
    quote = _quote_with_lines(admin_user)
    response = admin_client1.post(f"/ai/quotes/{quote.pk}/review/ask/", {"question": "Why?"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Run the review first, then ask about it." in response.content.decode()
    assert AiJob.objects.count() == 0


def test_read_only_users_cannot_run_ai_on_quotes_and_the_builder_offers_it_only_on_drafts(
    configured, admin_user, make_user, client_for
):
    # given
    quote = _quote_with_lines(admin_user)
    reader, seller = client_for(make_user(role="Read-only")), client_for(make_user(role="Sales"))
    # then
    for url, data in ((f"/ai/quotes/{quote.pk}/build/run/", {"description": JOB}),
                      (f"/ai/quotes/{quote.pk}/review/run/", {}),
                      (f"/ai/quotes/{quote.pk}/translate/run/", {"language": "French"})):
        assert reader.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    assert 'data-testid="quote-ai"' not in reader.get(f"/quotes/{quote.pk}/").content.decode()
    assert 'data-testid="quote-ai"' in seller.get(f"/quotes/{quote.pk}/").content.decode()
    services.quote_send(quote=quote, acting_user=admin_user, draw_pdf=False)
    assert 'data-testid="quote-ai"' not in seller.get(f"/quotes/{quote.pk}/").content.decode()
    assert AiJob.objects.count() == 0


def test_quote_ai_panels_have_pinned_query_counts(admin_user, admin_client1, assert_queries):
    provider_settings_save(api_key="sk-html-0000", base_url="http://127.0.0.1:9/v1", default_model="", acting_user=None)
    quote = _quote_with_lines(admin_user)
    AiJob.objects.create(feature="quote_build", subject_id=quote.pk, status="done", requested_by=admin_user, output={
        "summary": "s", "assumptions": [], "inserted": [], "usable": 1, "refused": 0,
        "totals": {"cost": "1.00", "net": "2.00", "margin": "1.00", "margin_percent": "50.00", "recurring": {}},
        "lines": [{"index": 0, "kind": "item", "description": "<b>x</b>", "part_number": "", "source": "free",
                   "quantity": "1.000", "unit": "each", "unit_cost": "1.00", "unit_price": "2.00", "cost": "1.00",
                   "net": "2.00", "margin": "1.00", "margin_percent": "50.00", "is_optional": False,
                   "recurrence": "", "reason": "", "problem": ""}]})
    AiJob.objects.create(feature="quote_review", subject_id=quote.pk, status="done", requested_by=admin_user,
                         output={"summary": "s", "findings": [], "conversation": [{"question": "q", "answer": "a"}]})
    AiJob.objects.create(feature="quote_translate", subject_id=quote.pk, status="done", requested_by=admin_user,
                         input={"language": "French"}, output={"language": "French", "applied": [], "items": [
                             {"id": "title", "label": "Title", "original": "Surgery network", "translation": "Réseau",
                              "missing": False}]})
    urls = [f"/ai/quotes/{quote.pk}/{name}/" for name in ("build", "review", "translate")]
    for url in urls:
        html = admin_client1.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert_valid_html(html, fragment=True)
        assert "<b>x</b>" not in html
    # domain, user, groups, quote, latest job (with its call and requester), provider settings
    expected = {urls[0]: 6, urls[1]: 6, urls[2]: 6}
    for url, count in expected.items():
        with assert_queries(count):
            admin_client1.get(url, HTTP_HX_REQUEST="true")

