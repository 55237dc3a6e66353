import pytest
from django.db import connection

from crm.selectors import CustomerFilters, customer_list
from crm.services import contacts as contact_services
from crm.services import customers as services
from crm.tests.factories import CustomerFactory


def _search(term, **filters):
    return [customer.name for customer in customer_list(filters=CustomerFilters(search=term, **filters))]


def test_a_customer_found_through_several_columns_and_contacts_is_listed_once(admin_user):
    # given a customer whose name, email and contact all contain "oak"
    customer = CustomerFactory(name="Oakfield School", email="office@oakfield.example")
    CustomerFactory(name="Birch Ltd")
    contact_services.contact_create(customer=customer, acting_user=admin_user, fields={"first_name": "Oakley"},
                                    emails=[{"address": "oakley@oakfield.example", "kind": "work"}])
    # when / then
    assert _search("oak") == ["Oakfield School"]


def test_the_search_leaves_archived_customers_out_unless_asked(admin_user):
    # given an archived customer found only through its contact
    customer = CustomerFactory(name="Old Co")
    contact_services.contact_create(customer=customer, acting_user=admin_user, fields={"first_name": "Zed", "last_name": "Quill"})
    services.customer_archive(customer=customer, acting_user=admin_user)
    # when / then
    assert _search("zed quill") == []
    assert _search("zed quill", archived=True) == ["Old Co"]


@pytest.mark.parametrize(("term", "index"), [
    ("acme", "crm_customer_name_trgm"),
    ("nia jones", "crm_contact_name_trgm"),
    ("nia@acme", "crm_contact_email_trgm"),
    ("07700 9", "crm_contact_phone_trgm"),
])
def test_the_search_can_use_its_trigram_indexes(tenant1, term, index):
    """The indexes are on the exact expressions `icontains` compiles to; if either drifts, the planner cannot use
    them and the search silently goes back to scanning every row."""
    # given a planner left with bitmap scans only (the test tables are too small for it to prefer them)
    sql, params = customer_list(filters=CustomerFilters(search=term)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        # when
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then
    assert index in plan
