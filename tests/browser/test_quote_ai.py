"""An estimator builds a quote with AI (a local fake OpenAI-compatible server): describes the job, sees the
proposed lines priced from the catalogue and labour rates arrive live from the worker, unticks one, inserts the
rest and watches the builder's lines and totals follow; then asks for a review, which leaves the quote as it is."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from ai_prompts.fake_openai import FakeOpenAI
from tests.browser.conftest import ROOT

SLUG = "quoteai"
PASSWORD = "Quoteai-estimate-2026"

SEED = """
import django, json, sys
django.setup()
from decimal import Decimal
from django_tenants.utils import tenant_context
from ai_prompts.services.providers import provider_settings_save
from crm.services.customers import customer_create
from quotes.services.catalogue import labour_rate_save, product_create, supplier_create
from quotes.services.quotes import quote_create
from tenants.models import Tenant
with tenant_context(Tenant.objects.get(schema_name=sys.argv[1])):
    provider_settings_save(api_key="sk-e2e-1234", base_url=sys.argv[2], default_model="", acting_user=None)
    customer = customer_create(acting_user=None, name="Oakfield Primary School")
    supplier = supplier_create(acting_user=None, name="Ubiquiti Direct")
    ap = product_create(acting_user=None, supplier=supplier, part_number="UAP-AC-PRO",
                        description="UniFi access point AC Pro", unit="each", cost_price=Decimal("98.00"),
                        list_price=Decimal("139.00"))
    rate = labour_rate_save(acting_user=None, name="Engineer", cost_per_hour=Decimal("30.00"),
                            sell_per_hour=Decimal("65.00"), cost_per_day=Decimal("220.00"),
                            sell_per_day=Decimal("480.00"))
    quote = quote_create(customer=customer, acting_user=None, title="Hall Wi-Fi")
    print(json.dumps({"quote": quote.pk, "ap": ap.pk, "rate": rate.pk}))
"""


@pytest.fixture
def fake_model():
    server = FakeOpenAI().start()
    yield server
    server.stop()


def _line(**fields):
    return {"kind": "item", "description": "", "product_id": None, "labour_rate_id": None, "quantity": 1,
            "unit": "each", "unit_cost": 0, "unit_price": 0, "is_optional": False, "recurrence": "", "reason": "",
            **fields}


def test_build_with_ai_previews_then_inserts_the_ticked_lines_and_review_leaves_the_quote(
    ccs_server, page, fake_model, wait_for_live
):
    # Given a company with a catalogue product, a labour rate, a draft quote and AI connected
    result = subprocess.run(
        [sys.executable, "manage.py", "create_tenant", "--slug", SLUG, "--name", "Quoteai Ltd",
         "--admin-email", "eve@quoteai.example", "--admin-password", PASSWORD, "--admin-first-name", "Eve"],
        cwd=ROOT, env=ccs_server.env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    seeded = subprocess.run([sys.executable, "-c", SEED, SLUG, fake_model.url], cwd=ROOT, env=ccs_server.env,
                            capture_output=True, text=True, timeout=120)
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    base = ccs_server.tenant_url(SLUG)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("eve@quoteai.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/quotes/{ids['quote']}/")
    wait_for_live(page)

    # When the estimator describes the job
    fake_model.script({"summary": "Four access points and a day on site.", "assumptions": [], "lines": [
        _line(description="Access point", product_id=ids["ap"], quantity=4),
        _line(description="Installation", labour_rate_id=ids["rate"], quantity=1, unit="day"),
        _line(description="Ceiling mounting kit", quantity=4, unit_cost=5, unit_price=9)]})
    page.get_by_test_id("ai-build-description").fill("Wi-Fi for the hall: 4 access points and one engineer day")
    page.get_by_test_id("ai-build-run").click()
    # Then the preview arrives from the worker, priced from the catalogue and the labour rate
    expect(page.get_by_test_id("ai-build-preview")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("ai-build-totals")).to_contain_text("1,072.00")
    assert "UAP-AC-PRO" in fake_model.requests[0]["messages"][1]["content"]

    # When they untick the labour and insert the rest
    page.locator("#ai-build-line-1").uncheck()
    page.get_by_test_id("ai-build-insert").click()
    # Then the builder's lines and totals follow without a reload (556.00 + 36.00 = 592.00, + 20 % VAT)
    expect(page.get_by_test_id("total-total")).to_contain_text("710.40")
    expect(page.locator("#quote-lines")).to_contain_text("UniFi access point AC Pro")
    expect(page.locator("#quote-lines")).to_contain_text("Ceiling mounting kit")
    expect(page.locator("#quote-lines")).not_to_contain_text("Installation")
    expect(page.get_by_test_id("ai-build-line").first).to_contain_text("inserted")

    # When they ask for a review
    fake_model.script({"summary": "No labour is quoted.", "findings": [
        {"category": "missing_item", "severity": "high", "line": 0, "finding": "Add installation labour."}]})
    page.get_by_test_id("ai-review-run").click()
    # Then the findings arrive, and the quote is unchanged
    expect(page.get_by_test_id("ai-review-finding")).to_contain_text("Add installation labour.", timeout=15_000)
    expect(page.get_by_test_id("total-total")).to_contain_text("710.40")
