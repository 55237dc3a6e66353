from quotes.permissions import (
    APPROVE_QUOTES, CHANGE_CATALOGUE, CHANGE_PRICING_SETTINGS, CHANGE_QUOTES, IMPORT_PRICE_LIST, MANAGE_PRICING,
    VIEW_CATALOGUE, VIEW_QUOTES,
)
from quotes.tests.factories import LabourRateFactory, ProductCategoryFactory, ProductFactory, SupplierFactory
from tests.harness.registry import UrlSpec


def a_product():
    return {"pk": ProductFactory().pk}


def a_supplier():
    return {"pk": SupplierFactory().pk}


def an_archived_supplier():
    from django.utils import timezone

    return {"pk": SupplierFactory(archived_at=timezone.now()).pk}


def a_category():
    return {"pk": ProductCategoryFactory().pk}


def a_labour_rate():
    return {"pk": LabourRateFactory().pk}


def product_data():
    return {"supplier": SupplierFactory().pk, "part_number": "HARNESS-1", "description": "Harness product",
            "unit": "each", "cost_price": "1.00", "list_price": "2.00", "is_active": "on"}


SUPPLIER_DATA = {"name": "Harness Supplies Ltd", "email": "sales@harness.example"}
PRICING_DATA = {"currency": "GBP", "default_tax_rate": "20.00", "quote_validity_days": "30", "rounding": "0.01",
                "margin_floor_percent": "15.00", "terms": "Harness terms."}

def a_customer():
    from crm.tests.factories import CustomerFactory

    return {"pk": CustomerFactory().pk}


def a_quote():
    from crm.tests.factories import CustomerFactory
    from quotes.services.quotes import quote_create

    return {"pk": quote_create(customer=CustomerFactory(), acting_user=None, title="Harness quote").pk}


def a_quote_line():
    from decimal import Decimal

    from quotes.models import Quote
    from quotes.services.quotes import line_add

    kwargs = a_quote()
    line = line_add(quote=Quote.objects.get(pk=kwargs["pk"]), acting_user=None,
                    fields={"description": "Harness line", "unit_price": Decimal("10.00")})
    return {"pk": kwargs["pk"], "line_pk": line.pk}


def a_sent_revision():
    from decimal import Decimal

    from quotes.models import Quote
    from quotes.services.quotes import line_add, quote_send

    kwargs = a_quote()
    quote = Quote.objects.get(pk=kwargs["pk"])
    line_add(quote=quote, acting_user=None, fields={"description": "Harness line", "unit_price": Decimal("10.00")})
    quote_send(quote=quote, acting_user=None)
    return {"pk": quote.pk, "number": 1}


def a_sent_revision_quote():
    return {"pk": a_sent_revision()["pk"]}


def a_failed_quote_email():
    from decimal import Decimal

    from core.models import EmailStatus
    from crm.models import Contact, ContactEmail
    from quotes.models import Quote
    from quotes.services.quotes import line_add
    from quotes.services.sending import quote_email_send

    kwargs = a_quote()
    quote = Quote.objects.get(pk=kwargs["pk"])
    contact = Contact.objects.create(customer=quote.customer, first_name="Harness", last_name="Contact")
    ContactEmail.objects.create(contact=contact, address="harness@example.com", is_primary=True)
    line_add(quote=quote, acting_user=None, fields={"description": "Harness line", "unit_price": Decimal("10.00")})
    sent = quote_email_send(quote=quote, acting_user=None, to="harness@example.com", subject="Harness quote",
                            message="Harness message")
    sent.message.status = EmailStatus.FAILED
    sent.message.save(update_fields=["status"])
    return {"pk": quote.pk, "email_pk": sent.pk}


def a_sent_quote():
    return {"pk": a_sent_revision()["pk"]}


def a_quote_waiting_for_approval():
    from decimal import Decimal

    from quotes.models import Quote
    from quotes.services.pricing import pricing_settings_ensure
    from quotes.services.quotes import line_add

    pricing = pricing_settings_ensure()
    pricing.approval_total_above = Decimal("1.00")
    pricing.save()
    kwargs = a_quote()
    line_add(quote=Quote.objects.get(pk=kwargs["pk"]), acting_user=None,
             fields={"description": "Harness line", "unit_price": Decimal("10.00")})
    return kwargs


def a_price_list_job(**fields):
    from core.models import ImportJob

    job = ImportJob.objects.create(kind="price_list", file_name="harness.csv",
                                   content=b"Supplier,Part number,Description\nHarness Ltd,H-1,Harness part\n",
                                   headers=["Supplier", "Part number", "Description"],
                                   sample_rows=[["Harness Ltd", "H-1", "Harness part"]], row_count=1,
                                   mapping={"supplier": 0, "part_number": 1, "description": 2}, **fields)
    return {"pk": job.pk}


def a_checked_price_list_job():
    return a_price_list_job(status="checked", counts={"create": 1})


def a_price_list_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("prices.csv", b"Supplier,Part number\nHarness Ltd,H-1\n", content_type="text/csv")}


SPECS = [
    UrlSpec("quotes:price_list_import", permission=IMPORT_PRICE_LIST),
    UrlSpec("quotes:price_list_import_template", permission=IMPORT_PRICE_LIST),
    UrlSpec("quotes:price_list_import_job", permission=IMPORT_PRICE_LIST, kwargs=a_price_list_job),
    UrlSpec("quotes:price_list_import_panel", permission=IMPORT_PRICE_LIST, kwargs=a_price_list_job),
    UrlSpec("quotes:price_list_import_check", method="post", permission=IMPORT_PRICE_LIST, kwargs=a_price_list_job,
            data=lambda: {"map_supplier": "0", "map_part_number": "1"}),
    UrlSpec("quotes:price_list_import_apply", method="post", permission=IMPORT_PRICE_LIST,
            kwargs=a_checked_price_list_job),
    UrlSpec("quotes:price_list_import_cancel", method="post", permission=IMPORT_PRICE_LIST, kwargs=a_price_list_job),
    UrlSpec("api:price_list_import_list", method="post", api=True, permission=IMPORT_PRICE_LIST,
            data=a_price_list_upload),
    UrlSpec("api:price_list_import_detail", api=True, permission=IMPORT_PRICE_LIST, kwargs=a_price_list_job),
    UrlSpec("api:price_list_import_check", method="post", api=True, permission=IMPORT_PRICE_LIST,
            kwargs=a_price_list_job),
    UrlSpec("api:price_list_import_report", api=True, permission=IMPORT_PRICE_LIST, kwargs=a_checked_price_list_job),
    UrlSpec("api:price_list_import_apply", method="post", api=True, permission=IMPORT_PRICE_LIST,
            kwargs=a_checked_price_list_job),
    UrlSpec("api:price_list_import_cancel", method="post", api=True, permission=IMPORT_PRICE_LIST,
            kwargs=a_price_list_job),
    UrlSpec("api:quote_list", api=True, permission=VIEW_QUOTES),
    UrlSpec("api:quote_detail", api=True, permission=VIEW_QUOTES, kwargs=a_quote),
    UrlSpec("api:quote_line_list", method="post", api=True, permission=CHANGE_QUOTES, kwargs=a_quote,
            data=lambda: {"description": "API line", "unit_price": "5.00"}),
    UrlSpec("api:quote_line_order", method="post", api=True, permission=CHANGE_QUOTES, kwargs=a_quote),
    UrlSpec("api:quote_line_detail", api=True, permission=VIEW_QUOTES, kwargs=a_quote_line),
    UrlSpec("api:quote_line_move", method="post", api=True, permission=CHANGE_QUOTES, kwargs=a_quote_line,
            data=lambda: {"position": "1"}),
    UrlSpec("api:quote_send", method="post", api=True, permission=CHANGE_QUOTES,
            kwargs=lambda: {"pk": a_quote_line()["pk"]}),
    UrlSpec("api:quote_accept", method="post", api=True, permission=CHANGE_QUOTES, kwargs=a_sent_quote),
    UrlSpec("api:quote_reject", method="post", api=True, permission=CHANGE_QUOTES, kwargs=a_sent_quote,
            data=lambda: {"comment": "Too dear"}),
    UrlSpec("api:quote_revise", method="post", api=True, permission=CHANGE_QUOTES, kwargs=a_sent_quote),
    UrlSpec("api:quote_cancel", method="post", api=True, permission=CHANGE_QUOTES, kwargs=a_quote,
            data=lambda: {"reason": "Not needed"}),
    UrlSpec("api:quote_approve", method="post", api=True, permission=APPROVE_QUOTES,
            kwargs=a_quote_waiting_for_approval, data=lambda: {"approve": "true", "comment": "Fine"}),
    UrlSpec("api:quote_revision_list", api=True, permission=VIEW_QUOTES, kwargs=a_sent_quote),
    UrlSpec("api:quote_revision_detail", api=True, permission=VIEW_QUOTES, kwargs=a_sent_revision),
    UrlSpec("quotes:quote_list", permission=VIEW_QUOTES),
    UrlSpec("quotes:quote_create", permission=CHANGE_QUOTES),
    UrlSpec("quotes:quote_builder", permission=VIEW_QUOTES, kwargs=a_quote),
    UrlSpec("quotes:line_add", method="post", permission=CHANGE_QUOTES, kwargs=a_quote),
    UrlSpec("quotes:line_reorder", method="post", permission=CHANGE_QUOTES, kwargs=a_quote, data=lambda: {"order": ""}),
    UrlSpec("quotes:line_undo", method="post", permission=CHANGE_QUOTES, kwargs=a_quote,
            data=lambda: {"token": "not-signed"}, allowed_extra_statuses=(404,),
            note="a token that is not ours is a 404, for everyone allowed in"),
    UrlSpec("quotes:line_update", method="post", permission=CHANGE_QUOTES, kwargs=a_quote_line,
            data=lambda: {"field": "quantity", "value": "2"}),
    UrlSpec("quotes:line_delete", method="post", permission=CHANGE_QUOTES, kwargs=a_quote_line),
    UrlSpec("quotes:line_duplicate", method="post", permission=CHANGE_QUOTES, kwargs=a_quote_line),
    UrlSpec("quotes:line_shift", method="post", permission=CHANGE_QUOTES, kwargs=a_quote_line,
            data=lambda: {"direction": "up"}),
    UrlSpec("quotes:quote_action", method="post", permission=CHANGE_QUOTES,
            kwargs=lambda: {"pk": a_quote_line()["pk"]},
            data=lambda: {"action": "send"}),
    UrlSpec("quotes:quote_revision", permission=VIEW_QUOTES, kwargs=a_sent_revision),
    UrlSpec("quotes:quote_duplicate", permission=CHANGE_QUOTES, kwargs=a_quote),
    UrlSpec("quotes:quote_diff", permission=VIEW_QUOTES, kwargs=lambda: {"pk": a_sent_revision()["pk"]}),
    UrlSpec("quotes:customer_quote_tab", permission=VIEW_QUOTES, kwargs=a_customer),
    UrlSpec("quotes:quote_send", permission=CHANGE_QUOTES, kwargs=lambda: {"pk": a_quote_line()["pk"]}),
    UrlSpec("quotes:quote_emails", permission=VIEW_QUOTES, kwargs=a_sent_revision_quote),
    UrlSpec("quotes:quote_email_resend", method="post", permission=CHANGE_QUOTES, kwargs=a_failed_quote_email),
    UrlSpec("quotes:quote_pdf_preview", permission=VIEW_QUOTES, kwargs=lambda: {"pk": a_quote_line()["pk"]}),
    UrlSpec("quotes:revision_pdf", permission=VIEW_QUOTES, kwargs=a_sent_revision),
    UrlSpec("quotes:product_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:product_search", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:product_create", method="post", permission=CHANGE_CATALOGUE, data=product_data),
    UrlSpec("quotes:product_detail", permission=VIEW_CATALOGUE, kwargs=a_product),
    UrlSpec("quotes:product_edit", method="post", permission=CHANGE_CATALOGUE, kwargs=a_product, data=product_data),
    UrlSpec("quotes:product_deactivate", method="post", permission=CHANGE_CATALOGUE, kwargs=a_product),
    UrlSpec("quotes:supplier_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:supplier_create", method="post", permission=CHANGE_CATALOGUE, data=lambda: SUPPLIER_DATA),
    UrlSpec("quotes:supplier_edit", method="post", permission=CHANGE_CATALOGUE, kwargs=a_supplier,
            data=lambda: SUPPLIER_DATA),
    UrlSpec("quotes:supplier_archive", method="post", permission=CHANGE_CATALOGUE, kwargs=a_supplier),
    UrlSpec("quotes:supplier_restore", method="post", permission=CHANGE_CATALOGUE, kwargs=an_archived_supplier),
    UrlSpec("quotes:category_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:category_create", method="post", permission=MANAGE_PRICING,
            data=lambda: {"name": "Harness category", "default_markup_percent": "30"}),
    UrlSpec("quotes:category_edit", method="post", permission=MANAGE_PRICING, kwargs=a_category,
            data=lambda: {"name": "Harness category", "default_markup_percent": "30"}),
    UrlSpec("quotes:labour_rate_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:labour_rate_create", method="post", permission=MANAGE_PRICING,
            data=lambda: {"name": "Harness engineer", "cost_per_hour": "20", "sell_per_hour": "40", "cost_per_day": "160",
                          "sell_per_day": "320", "is_active": "on"}),
    UrlSpec("quotes:labour_rate_edit", method="post", permission=MANAGE_PRICING, kwargs=a_labour_rate,
            data=lambda: {"name": "Harness engineer", "cost_per_hour": "20", "sell_per_hour": "40", "cost_per_day": "160",
                          "sell_per_day": "320"}),
    UrlSpec("api:product_list", api=True, permission=VIEW_CATALOGUE),
    UrlSpec("api:product_detail", api=True, permission=VIEW_CATALOGUE, kwargs=a_product),
    UrlSpec("api:product_deactivate", method="post", api=True, permission=CHANGE_CATALOGUE, kwargs=a_product),
    UrlSpec("api:supplier_list", api=True, permission=VIEW_CATALOGUE),
    UrlSpec("api:supplier_detail", api=True, permission=VIEW_CATALOGUE, kwargs=a_supplier),
    UrlSpec("api:supplier_archive", method="post", api=True, permission=CHANGE_CATALOGUE, kwargs=a_supplier),
    UrlSpec("quotes:pricing_settings", method="post", permission=CHANGE_PRICING_SETTINGS, data=lambda: PRICING_DATA),
]
