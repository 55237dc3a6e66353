from django.urls import path

from core.imports.views import import_urls
from crm import views, views_activities, views_addresses, views_contacts, views_merge, views_opportunities, views_sectors
from crm.imports import customer_importer

app_name = "crm"

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/sectors/", views_sectors.sector_list, name="sector_list"),
    *import_urls(customer_importer, prefix="customers/import/"),
    path("customers/export.csv", views.customer_export, name="customer_export"),
    path("customers/bulk/", views.customer_bulk, name="customer_bulk"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/status/", views.customer_status, name="customer_status"),
    path("customers/<int:pk>/archive/", views.customer_archive, name="customer_archive"),
    path("customers/<int:pk>/merge/", views_merge.customer_merge_view, name="customer_merge"),
    path("customers/<int:pk>/restore/", views.customer_restore, name="customer_restore"),
    path("customers/<int:pk>/timeline/", views.customer_timeline, name="customer_timeline"),
    path("customers/<int:pk>/addresses/new/", views_addresses.address_create, name="address_create"),
    path("customers/<int:pk>/addresses/order/", views_addresses.address_reorder, name="address_reorder"),
    path("customers/<int:pk>/addresses/<int:address_pk>/edit/", views_addresses.address_edit, name="address_edit"),
    path("customers/<int:pk>/addresses/<int:address_pk>/remove/", views_addresses.address_remove, name="address_remove"),
    path("customers/<int:pk>/activities/", views_activities.activity_list, name="activity_list"),
    path("customers/<int:pk>/activities/new/", views_activities.activity_create, name="activity_create"),
    path("customers/<int:pk>/activities/<int:activity_pk>/edit/", views_activities.activity_edit, name="activity_edit"),
    path("activities/<int:activity_pk>/complete/", views_activities.activity_complete, name="activity_complete"),
    path("follow-ups/", views_activities.follow_ups, name="follow_ups"),
    path("customers/<int:pk>/opportunities/", views_opportunities.opportunity_tab, name="opportunity_tab"),
    path("customers/<int:pk>/opportunities/new/", views_opportunities.opportunity_create, name="opportunity_create"),
    path("customers/<int:pk>/opportunities/<int:opportunity_pk>/edit/", views_opportunities.opportunity_edit,
         name="opportunity_edit"),
    path("opportunities/", views_opportunities.opportunity_list, name="opportunity_list"),
    path("opportunities/<int:opportunity_pk>/stage/", views_opportunities.opportunity_stage, name="opportunity_stage"),
    path("pipeline/", views_opportunities.pipeline, name="pipeline"),
    path("customers/<int:pk>/contacts/", views_contacts.contact_list, name="contact_list"),
    path("customers/<int:pk>/contacts/new/", views_contacts.contact_create, name="contact_create"),
    path("customers/<int:pk>/contacts/<int:contact_pk>/edit/", views_contacts.contact_edit, name="contact_edit"),
    path("customers/<int:pk>/contacts/<int:contact_pk>/primary/", views_contacts.contact_primary, name="contact_primary"),
    path("customers/<int:pk>/contacts/<int:contact_pk>/remove/", views_contacts.contact_remove, name="contact_remove"),
]
