from django.urls import path

from portal import views, views_staff

app_name = "portal"

urlpatterns = [
    # the customer portal (its own session cookie, path /portal/)
    path("portal/", views.home, name="home"),
    path("portal/sign-in/", views.sign_in, name="sign_in"),
    path("portal/sign-out/", views.sign_out, name="sign_out"),
    path("portal/sign-in/link/", views.link_request, name="link_request"),
    path("portal/sign-in/link/<str:token>/", views.link_sign_in, name="link_sign_in"),
    path("portal/invitation/<str:token>/", views.invitation, name="invitation"),
    path("portal/password/reset/", views.password_reset, name="password_reset"),
    path("portal/password/reset/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("portal/account/", views.account, name="account"),
    path("portal/logo/", views.logo, name="logo"),
    path("portal/quotes/", views.quote_list, name="quote_list"),
    path("portal/quotes/<int:pk>/", views.quote_detail, name="quote_detail"),
    path("portal/quotes/<int:pk>/options/", views.quote_options, name="quote_options"),
    path("portal/quotes/<int:pk>/revisions/<int:number>/pdf/", views.quote_pdf, name="quote_pdf"),
    path("portal/quotes/<int:pk>/accept/", views.quote_accept, name="quote_accept"),
    path("portal/quotes/<int:pk>/reject/", views.quote_reject, name="quote_reject"),
    path("portal/tickets/", views.ticket_list, name="ticket_list"),
    path("portal/tickets/new/", views.ticket_create, name="ticket_create"),
    path("portal/tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("portal/tickets/<int:pk>/reply/", views.ticket_reply, name="ticket_reply"),
    path("portal/tickets/<int:pk>/close/", views.ticket_close, name="ticket_close"),
    path("portal/tickets/<int:pk>/rate/", views.ticket_rate, name="ticket_rate"),
    path("portal/tickets/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("portal/contracts/", views.contract_list, name="contract_list"),
    # staff: the Portal access tab of a customer page
    path("customers/<int:pk>/portal-access/", views_staff.customer_portal_tab, name="customer_portal_tab"),
    path("contacts/<int:pk>/portal-access/invite/", views_staff.contact_portal_invite, name="contact_portal_invite"),
    path("contacts/<int:pk>/portal-access/", views_staff.contact_portal_update, name="contact_portal_update"),
    path("contacts/<int:pk>/portal-access/resend/", views_staff.contact_portal_resend, name="contact_portal_resend"),
    path("contacts/<int:pk>/portal-access/revoke/", views_staff.contact_portal_revoke, name="contact_portal_revoke"),
    path("quotes/<int:pk>/portal-answer/", views_staff.quote_portal_answer, name="quote_portal_answer"),
]
