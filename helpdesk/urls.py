from django.urls import path

from helpdesk import views, views_contracts, views_mail, views_settings

app_name = "helpdesk"

urlpatterns = [
    path("tickets/", views.ticket_list, name="ticket_list"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/bulk/", views.ticket_bulk, name="ticket_bulk"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/edit/", views.ticket_edit, name="ticket_edit"),
    path("tickets/<int:pk>/status/", views.ticket_status, name="ticket_status"),
    path("tickets/<int:pk>/priority/", views.ticket_priority, name="ticket_priority"),
    path("tickets/<int:pk>/assign/", views.ticket_assign, name="ticket_assign"),
    path("tickets/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("tickets/<int:pk>/time/", views.time_entry_create, name="time_entry_create"),
    path("tickets/<int:pk>/canned/", views.canned_response_fill, name="canned_response_fill"),
    path("tickets/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("customers/<int:pk>/tickets/", views.customer_ticket_tab, name="customer_ticket_tab"),
    path("helpdesk/settings/", views_settings.settings_home, name="settings"),
    path("helpdesk/sla-policies/new/", views_settings.sla_policy_edit, name="sla_policy_create"),
    path("helpdesk/sla-policies/<int:pk>/", views_settings.sla_policy_edit, name="sla_policy_edit"),
    path("helpdesk/sla-policies/<int:pk>/delete/", views_settings.sla_policy_delete, name="sla_policy_delete"),
    path("helpdesk/holidays/", views_settings.holiday_add, name="holiday_add"),
    path("helpdesk/holidays/<int:pk>/remove/", views_settings.holiday_remove, name="holiday_remove"),
    path("helpdesk/categories/", views_settings.category_add, name="category_add"),
    path("helpdesk/canned-responses/new/", views_settings.canned_response_edit, name="canned_response_create"),
    path("helpdesk/canned-responses/<int:pk>/", views_settings.canned_response_edit, name="canned_response_edit"),
    path("helpdesk/mailbox/", views_mail.mailbox_settings, name="mailbox_settings"),
    path("helpdesk/mailbox/test/", views_mail.mailbox_test, name="mailbox_test"),
    path("helpdesk/mailbox/poll/", views_mail.mailbox_poll_now, name="mailbox_poll_now"),
    path("helpdesk/mail/", views_mail.inbound_list, name="inbound_list"),
    path("helpdesk/mail/<int:pk>/", views_mail.inbound_detail, name="inbound_detail"),
    path("helpdesk/mail/<int:pk>/assign/", views_mail.inbound_assign, name="inbound_assign"),
    path("contracts/", views_contracts.contract_list, name="contract_list"),
    path("contracts/new/", views_contracts.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views_contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views_contracts.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/activate/", views_contracts.contract_activate, name="contract_activate"),
    path("contracts/<int:pk>/renew/", views_contracts.contract_renew, name="contract_renew"),
    path("contracts/<int:pk>/cancel/", views_contracts.contract_cancel, name="contract_cancel"),
    path("customers/<int:pk>/contracts/", views_contracts.customer_contract_tab, name="customer_contract_tab"),
]
