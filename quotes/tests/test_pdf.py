"""The quote PDF: drawn by WeasyPrint from the sent revision, read back with pdftotext and rendered with pdftoppm."""

from __future__ import annotations

import io
import struct
import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image

from crm.models import Address, Contact, ContactEmail
from crm.tests.factories import CustomerFactory
from quotes.models import PricingSettings, RevisionPdf
from quotes.services import quotes as services
from quotes.services.sending import quote_pdf_preview, revision_pdf_ensure
from tests.images import png_bytes


def pdf_text(content: bytes, *layout: str) -> str:
    """The PDF's text in reading order, pages separated by form feeds (pdftotext's own output)."""
    return subprocess.run(["pdftotext", *layout, "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    return " ".join(text.split())


def first_page_png(content: bytes, tmp_path) -> bytes:
    source = tmp_path / "quote.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, capture_output=True)
    return (tmp_path / "page.png").read_bytes()


def stored_bytes(document: RevisionPdf) -> bytes:
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def build_quote(user, *, lines_extra: int = 0):
    """A quote with every kind of line: sections, a discount, an alternative group, a monthly line, an optional item."""
    customer = CustomerFactory(name="Northgate Academy Trust")
    Address.objects.create(customer=customer, kind="billing", is_default=True, line1="1 Trust Way", town="Leeds",
                           postcode="LS1 4AP")
    site = Address.objects.create(customer=customer, kind="site", label="Upper School", line1="Moor Road",
                                  town="Leeds", postcode="LS6 2QQ")
    contact = Contact.objects.create(customer=customer, first_name="Priya", last_name="Shah")
    ContactEmail.objects.create(contact=contact, address="priya.shah@northgate.example", is_primary=True)
    quote = services.quote_create(customer=customer, acting_user=user, title="Wi-Fi refresh, Upper School",
                                  contact=contact, site=site, introduction="Thank you for the site visit.\nHere is our proposal.",
                                  today=date(2026, 11, 30))
    add = lambda **fields: services.line_add(quote=quote, acting_user=user, fields=fields)  # noqa: E731
    add(kind="section", description="Wireless network")
    add(description="Ubiquiti U7 Pro access point\nWi-Fi 7, tri-band, PoE+", part_number="U7-PRO", quantity=D(12),
        unit_price=D("189.00"), unit_cost=D("141.75"), discount_percent=D("5"), internal_note="Distributor promo ends Friday",
        supplier_name="Secret Distribution Ltd")
    add(description="Installation and configuration", part_number="LAB-ENG", quantity=D("1.5"), unit="day",
        unit_price=D("480.00"), unit_cost=D("230.00"))
    add(kind="section", description="Switching")
    add(description="24-port PoE switch (good)", part_number="USW-24-POE", unit_price=D("399.00"),
        unit_cost=D("310.00"), alternative_group="Core switch", alternative_chosen=True)
    add(description="48-port PoE switch (better)", part_number="USW-48-POE", unit_price=D("799.00"),
        unit_cost=D("620.00"), alternative_group="Core switch")
    add(description="Managed Wi-Fi monitoring", part_number="MWM-1", quantity=D(12), unit="licence",
        unit_price=D("4.50"), unit_cost=D("2.10"), recurrence="monthly")
    add(description="Spare access point kept on site", part_number="U7-PRO-SPARE", unit_price=D("189.00"),
        unit_cost=D("141.75"), is_optional=True)
    for number in range(lines_extra):
        add(description=f"Cable run {number + 1}: Cat6A from comms room to classroom\nTested and labelled",
            part_number=f"CAT6A-{number + 1:03d}", unit_price=D("85.00"), unit_cost=D("40.00"))
    quote.refresh_from_db()
    return quote


@pytest.fixture
def sent_revision(admin_user):
    quote = build_quote(admin_user)
    return services.quote_send(quote=quote, acting_user=admin_user)


def test_the_sent_revisions_pdf_has_the_quote_as_sent_and_nothing_internal(admin_user, sent_revision):
    # given the revision sent above
    # when its PDF is drawn
    document = revision_pdf_ensure(revision=sent_revision)
    content = stored_bytes(document)
    text, rows = flat(pdf_text(content)), flat(pdf_text(content, "-layout"))  # reading order; table rows kept whole
    # then the customer's copy says what was quoted, to the penny
    for expected in (
            "Q-2026-00001 R1", "Test company 1", "Northgate Academy Trust", "For the attention of Priya Shah",
            "priya.shah@northgate.example", "1 Trust Way Leeds LS1 4AP", "Upper School Moor Road Leeds LS6 2QQ",
            "Valid until 30 December 2026", "Wi-Fi refresh, Upper School",
            "Thank you for the site visit. Here is our proposal.",
            "Ubiquiti U7 Pro access point Wi-Fi 7, tri-band, PoE+", "Installation and configuration",
            "24-port PoE switch (good)", "48-port PoE switch (better)", "Managed Wi-Fi monitoring",
            "Spare access point kept on site", "Terms and conditions", flat(PricingSettings.objects.get().terms)):
        assert expected in text, f"{expected!r} missing from the PDF"
    for expected in (
            "Part no. Description Qty Unit Unit price Disc. Total",
            "Wireless network U7-PRO Ubiquiti U7 Pro access point 12 each £189.00 5% £2,154.60",
            "LAB-ENG Installation and configuration 1.5 day £480.00 £720.00",
            "Subtotal: Wireless network £2,874.60",
            "USW-24-POE 24-port PoE switch (good) 1 each £399.00 £399.00 Option “Core switch”: included",
            "USW-48-POE 48-port PoE switch (better) 1 each £799.00 £799.00 "
            "Alternative “Core switch”: not included in the total",
            "MWM-1 Managed Wi-Fi monitoring 12 licence £4.50 £54.00 / month Monthly",
            "Subtotal: Switching £399.00 Subtotal: Switching, per month £54.00",
            "One-off charges Subtotal before discounts £3,387.00 Discounts −£113.40 Subtotal £3,273.60 "
            "VAT at 20 % £654.72 Total (GBP) £3,928.32",
            "Monthly charges Subtotal per month £54.00 VAT at 20 % £10.80 Total per month £64.80",
            "Optional items: not included in the total",
            "U7-PRO-SPARE Spare access point kept on site 1 each £189.00 £189.00 Optional",
            "Optional items, if all are added (before VAT) £189.00",
            "Q-2026-00001 R1 Page 1 of 2", "Q-2026-00001 R1 Page 2 of 2"):
        assert expected in rows, f"{expected!r} missing from the PDF's rows"
    # and nothing the customer must not see: costs, margins, suppliers, internal notes, the draft stamp
    for hidden in ("141.75", "230.00", "310.00", "620.00", "2.10", "margin", "Margin", "Secret Distribution",
                   "Distributor promo ends Friday", "DRAFT"):
        assert hidden not in text, f"{hidden!r} must not be in the customer's PDF"
    assert (document.pages, document.file.name) == (2, f"tenants/test1/quotes/{sent_revision.quote_id}/Q-2026-00001-R1.pdf")
    assert document.size == len(content) and content.startswith(b"%PDF-")


def test_page_one_renders_to_a_real_png_in_the_tenants_colour(admin_user, tmp_path):
    # given a tenant colour and logo
    tenant = connection.tenant
    tenant.primary_colour = "#c2410c"
    tenant.logo = default_storage.save(f"{tenant.schema_name}/branding/pdf-test.png", ContentFile(png_bytes()))
    tenant.save(update_fields=["primary_colour", "logo"])
    revision = services.quote_send(quote=build_quote(admin_user), acting_user=admin_user)
    # when page 1 is rendered to PNG at 50 dpi
    content = stored_bytes(revision_pdf_ensure(revision=revision))
    png = first_page_png(content, tmp_path)
    # then it is an A4 page (8.27 x 11.69 in) with real content, the logo embedded and the brand colour drawn
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (414, 585)
    assert len(png) > 20_000
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1_000_000)
    brand = sum(count for count, (red, green, blue) in colours if abs(red - 0xc2) < 8 and abs(green - 0x41) < 8
                and abs(blue - 0x0c) < 8)
    assert brand > 2_000, f"only {brand} pixels in the brand colour"
    listed = subprocess.run(["pdfimages", "-list", "-"], input=content, capture_output=True, check=False)
    if listed.returncode != 0:  # older poppler reads files only
        (tmp_path / "q.pdf").write_bytes(content)
        listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "q.pdf")], capture_output=True, check=True)
    assert len(listed.stdout.decode().strip().splitlines()) == 3  # two header lines, one image: the logo


def test_a_long_quote_numbers_its_pages_and_repeats_the_table_header(admin_user):
    # given 45 more lines than fit on one page
    revision = services.quote_send(quote=build_quote(admin_user, lines_extra=45), acting_user=admin_user)
    # when
    document = revision_pdf_ensure(revision=revision)
    pages = pdf_text(stored_bytes(document)).split("\f")[:document.pages]
    # then every page says which of how many it is, and every page of lines starts with the column headings
    assert document.pages >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {document.pages}" in page
    line_pages = [page for page in pages if "CAT6A-" in page]
    assert len(line_pages) >= 2 and all("Part no." in page and "Unit price" in page for page in line_pages)
    text = flat("\n".join(pages))
    assert all(f"CAT6A-{number:03d}" in text for number in range(1, 46))


def test_the_draft_preview_is_stamped_and_never_stored(admin_user):
    # given a draft
    quote = build_quote(admin_user)
    # when
    rendered = quote_pdf_preview(quote=quote)
    # then
    text = flat(pdf_text(rendered.content))
    assert "DRAFT" in text and "DRAFT: not sent. Figures may still change." in text and "Q-2026-00001 R1" in text
    assert "Total (GBP) £3,928.32" in text
    assert RevisionPdf.objects.count() == 0


def test_sending_draws_the_pdf_once_on_commit_and_a_lost_file_is_drawn_again(admin_user,
                                                                              django_capture_on_commit_callbacks):
    # given
    quote = build_quote(admin_user)
    # when the quote is marked as sent, the task runs on commit
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.quote_send(quote=quote, acting_user=admin_user)
    document = RevisionPdf.objects.get(revision=revision)
    first = stored_bytes(document)
    # then a second call returns the stored file untouched
    assert revision_pdf_ensure(revision=revision).generated_at == document.generated_at
    # and a file lost from the storage is drawn again from the same frozen snapshot, under the same name
    default_storage.delete(document.file.name)
    redrawn = revision_pdf_ensure(revision=revision)
    assert redrawn.file.name == document.file.name and redrawn.generated_at > document.generated_at
    assert flat(pdf_text(stored_bytes(redrawn))) == flat(pdf_text(first))


def test_later_edits_do_not_change_a_sent_revisions_pdf(admin_user, sent_revision):
    # given R1 sent and its PDF drawn, then the quote revised and changed
    before = flat(pdf_text(stored_bytes(revision_pdf_ensure(revision=sent_revision))))
    quote = sent_revision.quote
    services.quote_revise(quote=quote, acting_user=admin_user)
    line = quote.lines.get(part_number="LAB-ENG")
    services.line_update(line=line, acting_user=admin_user, changes={"unit_price": D("999.00")})
    # when R1's PDF is drawn again from scratch
    default_storage.delete(RevisionPdf.objects.get(revision=sent_revision).file.name)
    after = flat(pdf_text(stored_bytes(revision_pdf_ensure(revision=sent_revision))))
    # then it is the quote as sent
    assert after == before and "£999.00" not in after and "£720.00" in after


@pytest.mark.parametrize("colour, on_colour, accent", [
    ("#1d4ed8", "#ffffff", "#1d4ed8"), ("#c2410c", "#ffffff", "#c2410c"), ("#fde047", "#1f2328", "#1f2328"),
    ("#ffffff", "#1f2328", "#1f2328"), ("not-a-colour", "#ffffff", "#1d4ed8"),
])
def test_text_stays_readable_on_and_in_the_brand_colour(admin_user, sent_revision, colour, on_colour, accent):
    from quotes.pdf import pdf_context

    tenant = connection.tenant
    tenant.primary_colour = colour
    context = pdf_context(sent_revision.snapshot, tenant=tenant, issued_on=date(2026, 11, 30))
    assert (context["on_colour"], context["accent_text"]) == (on_colour, accent)
