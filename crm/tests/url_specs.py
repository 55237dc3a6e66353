from crm.models import CustomerStatus
from crm.permissions import (ARCHIVE_CUSTOMERS, CHANGE_CUSTOMERS, EXPORT_CUSTOMERS, IMPORT_CUSTOMERS, MANAGE_SECTORS,
                             MERGE_CUSTOMERS, VIEW_CUSTOMERS)
from crm.tests.factories import CustomerFactory
from tests.harness.registry import UrlSpec


def a_customer():
    return {"pk": CustomerFactory().pk}


def an_archived_customer():
    from django.utils import timezone

    return {"pk": CustomerFactory(archived_at=timezone.now()).pk}


def a_contact():
    from crm.models import Contact

    customer = CustomerFactory()
    contact = Contact.objects.create(customer=customer, first_name="Harness", last_name="Contact")
    return {"pk": customer.pk, "contact_pk": contact.pk}


def a_second_contact():
    from crm.models import Contact

    kwargs = a_contact()
    Contact.objects.filter(pk=kwargs["contact_pk"]).update(is_primary=True)
    second = Contact.objects.create(customer_id=kwargs["pk"], first_name="Second")
    return {"pk": kwargs["pk"], "contact_pk": second.pk}


def an_address():
    from crm.models import Address

    customer = CustomerFactory()
    address = Address.objects.create(customer=customer, line1="1 High St", town="Dudley", postcode="DY1 1AA")
    return {"pk": customer.pk, "address_pk": address.pk}


def an_activity():
    from crm.models import Activity

    return {"activity_pk": Activity.objects.create(customer=CustomerFactory(), subject="Call back", kind="task").pk}


def a_customer_activity():
    from crm.models import Activity

    activity = Activity.objects.create(customer=CustomerFactory(), subject="Call back", kind="call")
    return {"pk": activity.customer_id, "activity_pk": activity.pk}


def an_opportunity():
    from crm.models import Opportunity

    return {"opportunity_pk": Opportunity.objects.create(customer=CustomerFactory(), title="Cabling refresh").pk}


def a_customer_opportunity():
    from crm.models import Opportunity

    opportunity = Opportunity.objects.create(customer=CustomerFactory(), title="Cabling refresh")
    return {"pk": opportunity.customer_id, "opportunity_pk": opportunity.pk}


OPPORTUNITY_DATA = {"title": "Fibre backbone", "value": "12500.00", "probability": "40", "stage": "qualified"}

ACTIVITY_DATA = {"kind": "call", "subject": "Intro call", "occurred_at": "2026-11-20T10:00", "outcome": "reached"}

ADDRESS_DATA = {"kind": "site", "label": "Depot", "line1": "2 Canal St", "town": "Tipton", "postcode": "dy4 7aa",
                "country": "United Kingdom"}

CONTACT_DATA = {"first_name": "Nia", "last_name": "Jones", "role": "technical", "emails-TOTAL_FORMS": "0",
                "emails-INITIAL_FORMS": "0", "phones-TOTAL_FORMS": "0", "phones-INITIAL_FORMS": "0"}

def an_import_job():
    from core.models import ImportJob

    job = ImportJob.objects.create(kind="customers", file_name="harness.csv", content=b"Company name\nHarness Ltd\n",
                                   headers=["Company name"], sample_rows=[["Harness Ltd"]], row_count=1,
                                   mapping={"name": 0})
    return {"pk": job.pk}


SPECS = [
    UrlSpec("crm:customer_import", permission=IMPORT_CUSTOMERS),
    UrlSpec("crm:customer_import_template", permission=IMPORT_CUSTOMERS),
    UrlSpec("crm:customer_import_job", permission=IMPORT_CUSTOMERS, kwargs=an_import_job),
    UrlSpec("crm:customer_import_panel", permission=IMPORT_CUSTOMERS, kwargs=an_import_job),
    UrlSpec("crm:customer_import_check", method="post", permission=IMPORT_CUSTOMERS, kwargs=an_import_job,
            data=lambda: {"map_name": "0", "duplicate_mode": "skip"}),
    UrlSpec("crm:customer_import_apply", method="post", permission=IMPORT_CUSTOMERS, kwargs=an_import_job),
    UrlSpec("crm:customer_import_cancel", method="post", permission=IMPORT_CUSTOMERS, kwargs=an_import_job),
    UrlSpec("crm:opportunity_tab", permission=VIEW_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:opportunity_create", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer, data=lambda: OPPORTUNITY_DATA),
    UrlSpec("crm:opportunity_stage", method="post", permission=CHANGE_CUSTOMERS, kwargs=an_opportunity,
            data=lambda: {"stage": "scoping"}),
    UrlSpec("crm:opportunity_edit", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer_opportunity,
            data=lambda: OPPORTUNITY_DATA),
    UrlSpec("crm:opportunity_list", permission=VIEW_CUSTOMERS),
    UrlSpec("crm:pipeline", permission=VIEW_CUSTOMERS),
    UrlSpec("crm:activity_list", permission=VIEW_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:activity_create", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer, data=lambda: ACTIVITY_DATA),
    UrlSpec("crm:activity_edit", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer_activity,
            data=lambda: {f"activity-{key}": value for key, value in ACTIVITY_DATA.items()},
            note="the form's fields carry the activity's prefix; the harness posts unprefixed data (a 422 is fine)",
            allowed_extra_statuses=(422,)),
    UrlSpec("crm:activity_complete", method="post", permission=CHANGE_CUSTOMERS, kwargs=an_activity),
    UrlSpec("crm:follow_ups", permission=VIEW_CUSTOMERS),
    UrlSpec("crm:address_create", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer, data=lambda: ADDRESS_DATA),
    UrlSpec("crm:address_edit", method="post", permission=CHANGE_CUSTOMERS, kwargs=an_address, data=lambda: ADDRESS_DATA),
    UrlSpec("crm:address_remove", method="post", permission=CHANGE_CUSTOMERS, kwargs=an_address),
    UrlSpec("crm:address_reorder", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer, data=lambda: {"order": ""}),
    UrlSpec("crm:contact_list", permission=VIEW_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:contact_create", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer, data=lambda: CONTACT_DATA),
    UrlSpec("crm:contact_edit", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_contact, data=lambda: CONTACT_DATA),
    UrlSpec("crm:contact_primary", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_second_contact),
    UrlSpec("crm:contact_remove", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_contact),
    UrlSpec("crm:customer_list", permission=VIEW_CUSTOMERS),
    UrlSpec("crm:sector_list", permission=MANAGE_SECTORS),
    UrlSpec("crm:customer_create", permission=CHANGE_CUSTOMERS),
    UrlSpec("crm:customer_export", permission=EXPORT_CUSTOMERS),
    UrlSpec("crm:customer_bulk", method="post", permission=CHANGE_CUSTOMERS,
            data=lambda: {"action": "status", "status": CustomerStatus.PROSPECT, "ids": [CustomerFactory().pk]}),
    UrlSpec("crm:customer_detail", permission=VIEW_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:customer_edit", permission=CHANGE_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:customer_status", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer,
            data=lambda: {"status": CustomerStatus.PROSPECT}),
    UrlSpec("crm:customer_merge", permission=MERGE_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:customer_archive", method="post", permission=ARCHIVE_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:customer_restore", method="post", permission=ARCHIVE_CUSTOMERS, kwargs=an_archived_customer),
    UrlSpec("crm:customer_timeline", permission=VIEW_CUSTOMERS, kwargs=a_customer),
]
