from crm.models import CustomerStatus
from crm.permissions import ARCHIVE_CUSTOMERS, CHANGE_CUSTOMERS, EXPORT_CUSTOMERS, VIEW_CUSTOMERS
from crm.tests.factories import CustomerFactory
from tests.harness.registry import UrlSpec


def a_customer():
    return {"pk": CustomerFactory().pk}


def an_archived_customer():
    from django.utils import timezone

    return {"pk": CustomerFactory(archived_at=timezone.now()).pk}


SPECS = [
    UrlSpec("crm:customer_list", permission=VIEW_CUSTOMERS),
    UrlSpec("crm:customer_create", permission=CHANGE_CUSTOMERS),
    UrlSpec("crm:customer_export", permission=EXPORT_CUSTOMERS),
    UrlSpec("crm:customer_bulk", method="post", permission=CHANGE_CUSTOMERS,
            data=lambda: {"action": "status", "status": CustomerStatus.PROSPECT, "ids": [CustomerFactory().pk]}),
    UrlSpec("crm:customer_detail", permission=VIEW_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:customer_edit", permission=CHANGE_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:customer_status", method="post", permission=CHANGE_CUSTOMERS, kwargs=a_customer,
            data=lambda: {"status": CustomerStatus.PROSPECT}),
    UrlSpec("crm:customer_archive", method="post", permission=ARCHIVE_CUSTOMERS, kwargs=a_customer),
    UrlSpec("crm:customer_restore", method="post", permission=ARCHIVE_CUSTOMERS, kwargs=an_archived_customer),
    UrlSpec("crm:customer_timeline", permission=VIEW_CUSTOMERS, kwargs=a_customer),
]
