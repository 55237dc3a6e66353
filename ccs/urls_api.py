from django.urls import path

from accounts import api as accounts_api
from crm import api as crm_api
from crm import api_related as crm_related
from quotes import api as quotes_api
from quotes import api_imports as price_list_api
from quotes import api_quote_lines, api_quotes
from helpdesk import api as helpdesk_api
from helpdesk import api_contracts

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="token_obtain"),
    path("auth/token/refresh/", accounts_api.TokenRefreshView.as_view(), name="token_refresh"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("customers/", crm_api.CustomerListCreate.as_view(), name="customer_list"),
    path("customers/<int:pk>/", crm_api.CustomerDetail.as_view(), name="customer_detail"),
    path("customers/<int:pk>/archive/", crm_api.CustomerArchive.as_view(), name="customer_archive"),
    path("customers/<int:pk>/contacts/", crm_related.ContactListCreate.as_view(), name="contact_list"),
    path("customers/<int:pk>/contacts/<int:contact_pk>/", crm_related.ContactDetail.as_view(), name="contact_detail"),
    path("customers/<int:pk>/addresses/", crm_related.AddressListCreate.as_view(), name="address_list"),
    path("customers/<int:pk>/addresses/<int:address_pk>/", crm_related.AddressDetail.as_view(), name="address_detail"),
    path("customers/<int:pk>/activities/", crm_related.ActivityListCreate.as_view(), name="activity_list"),
    path("activities/<int:activity_pk>/complete/", crm_related.ActivityComplete.as_view(), name="activity_complete"),
    path("customers/<int:pk>/opportunities/", crm_related.OpportunityCreate.as_view(), name="opportunity_create"),
    path("opportunities/", crm_related.OpportunityList.as_view(), name="opportunity_list"),
    path("opportunities/<int:opportunity_pk>/", crm_related.OpportunityDetail.as_view(), name="opportunity_detail"),
    path("products/", quotes_api.ProductListCreate.as_view(), name="product_list"),
    path("products/<int:pk>/", quotes_api.ProductDetail.as_view(), name="product_detail"),
    path("products/<int:pk>/deactivate/", quotes_api.ProductDeactivate.as_view(), name="product_deactivate"),
    path("suppliers/", quotes_api.SupplierListCreate.as_view(), name="supplier_list"),
    path("suppliers/<int:pk>/", quotes_api.SupplierDetail.as_view(), name="supplier_detail"),
    path("suppliers/<int:pk>/archive/", quotes_api.SupplierArchive.as_view(), name="supplier_archive"),
    path("price-list-imports/", price_list_api.PriceListImportListCreate.as_view(), name="price_list_import_list"),
    path("price-list-imports/<int:pk>/", price_list_api.PriceListImportDetail.as_view(), name="price_list_import_detail"),
    path("price-list-imports/<int:pk>/check/", price_list_api.PriceListImportCheck.as_view(),
         name="price_list_import_check"),
    path("price-list-imports/<int:pk>/report/", price_list_api.PriceListImportReport.as_view(),
         name="price_list_import_report"),
    path("price-list-imports/<int:pk>/apply/", price_list_api.PriceListImportApply.as_view(),
         name="price_list_import_apply"),
    path("price-list-imports/<int:pk>/cancel/", price_list_api.PriceListImportCancel.as_view(),
         name="price_list_import_cancel"),
    path("quotes/", api_quotes.QuoteListCreate.as_view(), name="quote_list"),
    path("quotes/<int:pk>/", api_quotes.QuoteDetail.as_view(), name="quote_detail"),
    path("quotes/<int:pk>/lines/", api_quote_lines.QuoteLineListCreate.as_view(), name="quote_line_list"),
    path("quotes/<int:pk>/lines/order/", api_quote_lines.QuoteLineOrder.as_view(), name="quote_line_order"),
    path("quotes/<int:pk>/lines/<int:line_pk>/", api_quote_lines.QuoteLineDetail.as_view(), name="quote_line_detail"),
    path("quotes/<int:pk>/lines/<int:line_pk>/move/", api_quote_lines.QuoteLineMove.as_view(), name="quote_line_move"),
    path("quotes/<int:pk>/send/", api_quotes.QuoteSend.as_view(), name="quote_send"),
    path("quotes/<int:pk>/accept/", api_quotes.QuoteAccept.as_view(), name="quote_accept"),
    path("quotes/<int:pk>/reject/", api_quotes.QuoteReject.as_view(), name="quote_reject"),
    path("quotes/<int:pk>/revise/", api_quotes.QuoteRevise.as_view(), name="quote_revise"),
    path("quotes/<int:pk>/cancel/", api_quotes.QuoteCancel.as_view(), name="quote_cancel"),
    path("quotes/<int:pk>/approve/", api_quotes.QuoteApprove.as_view(), name="quote_approve"),
    path("quotes/<int:pk>/revisions/", api_quotes.QuoteRevisionList.as_view(), name="quote_revision_list"),
    path("quotes/<int:pk>/revisions/<int:number>/", api_quotes.QuoteRevisionDetail.as_view(),
         name="quote_revision_detail"),
    path("tickets/", helpdesk_api.TicketListCreate.as_view(), name="ticket_list"),
    path("tickets/<int:pk>/", helpdesk_api.TicketDetail.as_view(), name="ticket_detail"),
    path("tickets/<int:pk>/comments/", helpdesk_api.CommentListCreate.as_view(), name="ticket_comments"),
    path("tickets/<int:pk>/attachments/", helpdesk_api.AttachmentListCreate.as_view(), name="ticket_attachments"),
    path("tickets/<int:pk>/time-entries/", helpdesk_api.TimeEntryListCreate.as_view(), name="ticket_time_entries"),
    path("sla-policies/", helpdesk_api.SlaPolicyListCreate.as_view(), name="sla_policy_list"),
    path("sla-policies/<int:pk>/", helpdesk_api.SlaPolicyDetail.as_view(), name="sla_policy_detail"),
    path("contracts/", api_contracts.ContractListCreate.as_view(), name="contract_list"),
    path("contracts/<int:pk>/", api_contracts.ContractDetail.as_view(), name="contract_detail"),
]
