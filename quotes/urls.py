from django.urls import path

from core.imports.views import import_urls
from quotes.imports import price_list_importer
from quotes.views import catalogue, documents, duplicate, pricing, revisions, sending

app_name = "quotes"

urlpatterns = [
    path("catalogue/", catalogue.product_list, name="product_list"),
    path("catalogue/search/", catalogue.product_search, name="product_search"),
    path("catalogue/products/new/", catalogue.product_create, name="product_create"),
    path("catalogue/products/<int:pk>/", catalogue.product_detail, name="product_detail"),
    path("catalogue/products/<int:pk>/edit/", catalogue.product_edit, name="product_edit"),
    path("catalogue/products/<int:pk>/deactivate/", catalogue.product_deactivate, name="product_deactivate"),
    *import_urls(price_list_importer, prefix="catalogue/import/"),
    path("catalogue/suppliers/", catalogue.supplier_list, name="supplier_list"),
    path("catalogue/suppliers/new/", catalogue.supplier_create, name="supplier_create"),
    path("catalogue/suppliers/<int:pk>/edit/", catalogue.supplier_edit, name="supplier_edit"),
    path("catalogue/suppliers/<int:pk>/archive/", catalogue.supplier_archive, name="supplier_archive"),
    path("catalogue/suppliers/<int:pk>/restore/", catalogue.supplier_restore, name="supplier_restore"),
    path("catalogue/categories/", catalogue.category_list, name="category_list"),
    path("catalogue/categories/new/", catalogue.category_create, name="category_create"),
    path("catalogue/categories/<int:pk>/edit/", catalogue.category_edit, name="category_edit"),
    path("catalogue/labour-rates/", catalogue.labour_rate_list, name="labour_rate_list"),
    path("catalogue/labour-rates/new/", catalogue.labour_rate_create, name="labour_rate_create"),
    path("catalogue/labour-rates/<int:pk>/edit/", catalogue.labour_rate_edit, name="labour_rate_edit"),
    path("settings/pricing/", pricing.pricing_settings, name="pricing_settings"),
    path("quotes/", documents.quote_list, name="quote_list"),
    path("quotes/new/", documents.quote_create, name="quote_create"),
    path("quotes/<int:pk>/", documents.quote_builder, name="quote_builder"),
    path("quotes/<int:pk>/lines/", documents.line_add, name="line_add"),
    path("quotes/<int:pk>/lines/order/", documents.line_reorder, name="line_reorder"),
    path("quotes/<int:pk>/lines/undo/", documents.line_undo, name="line_undo"),
    path("quotes/<int:pk>/lines/<int:line_pk>/", documents.line_update, name="line_update"),
    path("quotes/<int:pk>/lines/<int:line_pk>/delete/", documents.line_delete, name="line_delete"),
    path("quotes/<int:pk>/lines/<int:line_pk>/duplicate/", documents.line_duplicate, name="line_duplicate"),
    path("quotes/<int:pk>/lines/<int:line_pk>/move/", documents.line_shift, name="line_shift"),
    path("quotes/<int:pk>/action/", documents.quote_action, name="quote_action"),
    path("quotes/<int:pk>/revisions/<int:number>/", documents.quote_revision, name="quote_revision"),
    path("quotes/<int:pk>/compare/", revisions.quote_diff, name="quote_diff"),
    path("quotes/<int:pk>/duplicate/", duplicate.quote_duplicate, name="quote_duplicate"),
    path("customers/<int:pk>/quotes/", documents.customer_quote_tab, name="customer_quote_tab"),
    path("quotes/<int:pk>/send/", sending.quote_send, name="quote_send"),
    path("quotes/<int:pk>/emails/", sending.quote_emails, name="quote_emails"),
    path("quotes/<int:pk>/emails/<int:email_pk>/resend/", sending.quote_email_resend, name="quote_email_resend"),
    path("quotes/<int:pk>/pdf/", sending.quote_pdf_preview, name="quote_pdf_preview"),
    path("quotes/<int:pk>/revisions/<int:number>/pdf/", sending.revision_pdf, name="revision_pdf"),
]
