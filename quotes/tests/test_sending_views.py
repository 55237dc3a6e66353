"""The send dialog, the Emails card and the PDF downloads through the test client: what each role sees and may do,
what is kept when something is refused, the query counts, and tenant isolation of the stored files."""

from __future__ import annotations

from django.core.files.storage import default_storage

from accounts.roles import Role
from core.models import EmailStatus, OutboundEmail
from quotes.models import QuoteEmail, QuoteRevision, RevisionPdf
from quotes.services import quotes as services
from quotes.services import sending
from quotes.tests.test_pdf import build_quote, flat, pdf_text
from quotes.tests.test_sending import MESSAGE, email_quote
from tests.html_validity import assert_valid_html

FORM = {"to": "priya.shah@northgate.example", "cc": "bursar@northgate.example, finance@northgate.example",
        "subject": "Your Wi-Fi quote", "message": MESSAGE}


def test_the_send_dialog_opens_prefilled_in_the_builder(admin_client1, admin_user, assert_queries):
    # given
    quote = build_quote(admin_user)
    admin_client1.get(f"/quotes/{quote.pk}/send/", HTTP_HX_REQUEST="true")  # warm per-process caches
    # when
    with assert_queries(6):  # tenant, user, groups, quote, the contact's email, the contacts' emails (a fragment: no bell)
        response = admin_client1.get(f"/quotes/{quote.pk}/send/", HTTP_HX_REQUEST="true")
    # then a fragment for the modal, with the contact, the subject and the message
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="send-to" name="to" value="priya.shah@northgate.example"' in html
    assert '<option value="priya.shah@northgate.example">Priya Shah &lt;priya.shah@northgate.example&gt;</option>' in html
    assert 'value="Quote Q-2026-00001 R1: Wi-Fi refresh, Upper School"' in html and "Dear Priya," in html
    assert_valid_html(html, fragment=True)
    # and the builder has the button that opens it, and Mark as sent for a quote handed over another way
    page = admin_client1.get(f"/quotes/{quote.pk}/").content.decode()
    assert f'hx-get="/quotes/{quote.pk}/send/" hx-target="#send-dialog-content"' in page
    assert 'name="action" value="send"' in page and "Mark as sent" in page
    assert f'href="/quotes/{quote.pk}/pdf/"' in page
    assert_valid_html(page)


def test_the_send_page_works_without_javascript_and_redirects_to_the_quote(admin_client1, admin_user):
    # given
    quote = build_quote(admin_user)
    page = admin_client1.get(f"/quotes/{quote.pk}/send/").content.decode()
    assert "<html" in page and 'data-testid="send-form"' in page
    assert_valid_html(page)
    # when
    response = admin_client1.post(f"/quotes/{quote.pk}/send/", FORM)
    # then
    assert response.status_code == 302 and response["Location"] == f"/quotes/{quote.pk}/"
    outbound = OutboundEmail.objects.get()
    assert (outbound.to, outbound.cc, outbound.subject, outbound.status) == (
        "priya.shah@northgate.example", ["bursar@northgate.example", "finance@northgate.example"], "Your Wi-Fi quote",
        EmailStatus.QUEUED)  # the worker delivers it after the commit
    builder = admin_client1.get(response["Location"]).content.decode()
    assert "Q-2026-00001 R1 is sent and frozen; the email to priya.shah@northgate.example is on its way." in builder
    assert 'data-testid="email-status">Queued<' in builder
    assert f'hx-get="/quotes/{quote.pk}/emails/" hx-trigger="every 4s"' in builder  # polls while on its way


def test_the_dialog_answers_htmx_with_a_client_redirect(admin_client1, admin_user):
    quote = build_quote(admin_user)
    response = admin_client1.post(f"/quotes/{quote.pk}/send/", FORM, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == f"/quotes/{quote.pk}/"
    assert QuoteEmail.objects.filter(quote=quote).count() == 1


def test_a_refused_send_keeps_what_was_typed_and_says_why(admin_client1, admin_user):
    # given
    quote = build_quote(admin_user)
    # when a copy address is wrong
    response = admin_client1.post(f"/quotes/{quote.pk}/send/", {**FORM, "cc": "bursar@northgate", "message": "Hi Priya <3"},
                                  HTTP_HX_REQUEST="true")
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert "Cc: “bursar@northgate” is not an email address." in html
    assert 'value="bursar@northgate"' in html and ">Hi Priya &lt;3</textarea>" in html
    assert 'value="Your Wi-Fi quote"' in html
    assert (QuoteRevision.objects.count(), OutboundEmail.objects.count()) == (0, 0)


def test_read_only_users_cannot_send_or_resend_but_see_the_state(client_for, make_user, admin_user):
    # given a quote whose email failed
    quote = build_quote(admin_user)
    sent = email_quote(quote, admin_user)
    OutboundEmail.objects.filter(pk=sent.message_id).update(status=EmailStatus.FAILED, last_error="SMTP 550 rejected")
    other = build_quote(admin_user)
    reader = client_for(make_user(role=Role.READ_ONLY))
    # when / then
    assert reader.get(f"/quotes/{other.pk}/send/").status_code == 403
    assert reader.post(f"/quotes/{other.pk}/send/", FORM).status_code == 403
    assert reader.post(f"/quotes/{quote.pk}/emails/{sent.pk}/resend/").status_code == 403
    other.refresh_from_db()
    assert other.status == "draft" and OutboundEmail.objects.get(pk=sent.message_id).status == EmailStatus.FAILED
    page = reader.get(f"/quotes/{quote.pk}/").content.decode()
    assert 'data-testid="email-status">Failed<' in page and "SMTP 550 rejected" in page
    assert "Send again" not in page and "Mark as sent" not in page
    # and Sales may send
    seller = client_for(make_user(role=Role.SALES))
    assert seller.post(f"/quotes/{other.pk}/send/", FORM)["Location"] == f"/quotes/{other.pk}/"


def test_the_emails_card_costs_one_query_for_any_number_of_emails(admin_client1, admin_user, assert_queries):
    # given a quote emailed three times (R1, R2, R3)
    quote = build_quote(admin_user)
    for number in range(3):
        if number:
            services.quote_revise(quote=quote, acting_user=admin_user)
        email_quote(quote, admin_user, to=f"person{number}@northgate.example")
    admin_client1.get(f"/quotes/{quote.pk}/")
    # when
    with assert_queries(10):  # as for a quote never emailed, plus one for all its emails
        page = admin_client1.get(f"/quotes/{quote.pk}/").content.decode()
    # then
    assert page.count('data-testid="quote-email"') == 3 and "R3 → person2@northgate.example" in page
    with assert_queries(5):  # tenant, user, groups, quote, the emails with messages and senders (a fragment: no bell)
        card = admin_client1.get(f"/quotes/{quote.pk}/emails/", HTTP_HX_REQUEST="true").content.decode()
    assert card.count('data-testid="quote-email"') == 3 and "hx-trigger" in card
    OutboundEmail.objects.update(status=EmailStatus.SENT)
    card = admin_client1.get(f"/quotes/{quote.pk}/emails/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in card and card.count('data-testid="email-status">Sent<') == 3  # the poll stops
    assert admin_client1.get(f"/quotes/{quote.pk}/emails/")["Location"] == f"/quotes/{quote.pk}/"


def test_the_revision_pdf_downloads_as_stored(admin_client1, admin_user, assert_queries):
    # given a sent revision whose PDF was drawn
    quote = build_quote(admin_user)
    revision = services.quote_send(quote=quote, acting_user=admin_user)
    stored = sending.revision_pdf_ensure(revision=revision)
    with default_storage.open(stored.file.name, "rb") as handle:
        expected = handle.read()
    admin_client1.get(f"/quotes/{quote.pk}/revisions/1/pdf/")  # warm per-process caches
    # when
    with assert_queries(6):  # tenant, user, groups, quote, revision, its stored PDF
        response = admin_client1.get(f"/quotes/{quote.pk}/revisions/1/pdf/")
    # then
    body = response.content
    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200, "application/pdf", 'inline; filename="Q-2026-00001-R1.pdf"')
    assert body == expected and response["Cache-Control"] == "private, no-store"
    download = admin_client1.get(f"/quotes/{quote.pk}/revisions/1/pdf/?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="Q-2026-00001-R1.pdf"'
    assert admin_client1.get(f"/quotes/{quote.pk}/revisions/2/pdf/").status_code == 404
    revision_page = admin_client1.get(f"/quotes/{quote.pk}/revisions/1/").content.decode()
    assert f'href="/quotes/{quote.pk}/revisions/1/pdf/?download=1"' in revision_page


def test_a_pdf_not_drawn_yet_is_drawn_on_demand(admin_client1, admin_user):
    quote = build_quote(admin_user)
    services.quote_send(quote=quote, acting_user=admin_user)  # the on-commit task never ran
    response = admin_client1.get(f"/quotes/{quote.pk}/revisions/1/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert RevisionPdf.objects.filter(revision__quote=quote).count() == 1


def test_the_draft_preview_and_a_sent_quotes_pdf_link(admin_client1, admin_user):
    # given a draft
    quote = build_quote(admin_user)
    # when
    response = admin_client1.get(f"/quotes/{quote.pk}/pdf/")
    # then
    assert response["Content-Disposition"] == 'inline; filename="Q-2026-00001-R1-DRAFT.pdf"'
    assert "DRAFT: not sent." in flat(pdf_text(response.content))
    # and once sent, the same link shows the stored revision
    services.quote_send(quote=quote, acting_user=admin_user)
    assert admin_client1.get(f"/quotes/{quote.pk}/pdf/")["Location"] == f"/quotes/{quote.pk}/revisions/1/pdf/"


def test_another_tenant_cannot_download_the_pdf(admin_user, tenant2, in_tenant, make_user, client_for):
    # given a sent quote with its PDF in test1
    quote = build_quote(admin_user)
    revision = services.quote_send(quote=quote, acting_user=admin_user)
    stored = sending.revision_pdf_ensure(revision=revision)
    assert stored.file.name.startswith("tenants/test1/quotes/")
    # and an admin of test2, where no quote has that number
    with in_tenant(tenant2):
        client = client_for(make_user(email="admin@test2.example.com"), host="test2.localhost")
    # when / then: the same URLs on test2's host are not found, and test1's host does not know test2's session
    assert client.get(f"/quotes/{quote.pk}/revisions/1/pdf/").status_code == 404
    assert client.get(f"/quotes/{quote.pk}/pdf/").status_code == 404
    assert client.get(f"/quotes/{quote.pk}/revisions/1/pdf/", HTTP_HOST="test1.localhost").status_code == 302
    # and the media storage is not served by URL at all
    assert client_for(admin_user).get(f"/media/{stored.file.name}").status_code == 404


def test_no_send_button_while_approval_is_pending_and_no_second_send_of_a_revision(admin_client1, admin_user):
    # given a quote held back for approval
    from decimal import Decimal

    from quotes.models import PricingSettings

    PricingSettings.objects.update(approval_total_above=Decimal("1000.00"))
    quote = build_quote(admin_user)
    # then the builder offers no Send… and says why; a post anyway is refused with the reason, keeping the form
    page = admin_client1.get(f"/quotes/{quote.pk}/").content.decode()
    assert 'data-testid="send-email"' not in page and "A manager must approve this quote before it is sent" in page
    refused = admin_client1.post(f"/quotes/{quote.pk}/send/", FORM, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "A manager must approve this quote before it is sent" in refused.content.decode()
    # when a manager approves and it is sent
    services.quote_approve(quote=quote, acting_user=admin_user, approve=True)
    assert admin_client1.post(f"/quotes/{quote.pk}/send/", FORM).status_code == 302
    # then the dialog of the sent quote explains that a revision is needed and cannot send
    html = admin_client1.get(f"/quotes/{quote.pk}/send/", HTTP_HX_REQUEST="true").content.decode()
    assert "R1 was already sent. Revise the quote to send a new revision" in html
    assert '<button type="submit" class="btn btn-primary" disabled>' in html
