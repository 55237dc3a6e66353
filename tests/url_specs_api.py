from tests.harness.registry import UrlSpec


def _a_contact():
    from crm.tests.url_specs import a_contact

    return a_contact()


def _an_address():
    from crm.tests.url_specs import an_address

    return an_address()


def _an_activity():
    from crm.tests.url_specs import an_activity

    return an_activity()


def _an_opportunity():
    from crm.tests.url_specs import an_opportunity

    return an_opportunity()


def _a_customer():
    from crm.tests.factories import CustomerFactory

    return {"pk": CustomerFactory().pk}

def _a_contract():
    from helpdesk.tests.factories import make_contract

    return {"pk": make_contract().pk}


SPECS = [
    UrlSpec("api:token_obtain", method="post", public=True, api=True,
            data=lambda: {"email": "nobody@example.com", "password": "wrong"}),
    UrlSpec("api:token_refresh", method="post", public=True, api=True, data=lambda: {"refresh": "not-a-token"}),
    UrlSpec("api:me", api=True),
    UrlSpec("api:customer_list", api=True, permission="crm.view_customers"),
    UrlSpec("api:customer_detail", api=True, permission="crm.view_customers", kwargs=_a_customer),
    UrlSpec("api:contact_list", api=True, permission="crm.view_customers", kwargs=_a_customer),
    UrlSpec("api:contact_detail", api=True, permission="crm.view_customers", kwargs=_a_contact),
    UrlSpec("api:address_list", api=True, permission="crm.view_customers", kwargs=_a_customer),
    UrlSpec("api:address_detail", method="delete", api=True, permission="crm.change_customers", kwargs=_an_address),
    UrlSpec("api:activity_list", api=True, permission="crm.view_customers", kwargs=_a_customer),
    UrlSpec("api:activity_complete", method="post", api=True, permission="crm.change_customers", kwargs=_an_activity),
    UrlSpec("api:opportunity_create", method="post", api=True, permission="crm.change_customers", kwargs=_a_customer,
            data=lambda: {"title": "API deal", "value": "100.00"}),
    UrlSpec("api:opportunity_list", api=True, permission="crm.view_customers"),
    UrlSpec("api:opportunity_detail", api=True, permission="crm.view_customers", kwargs=_an_opportunity),
    UrlSpec("api:customer_archive", method="post", api=True, permission="crm.archive_customers", kwargs=_a_customer),
    UrlSpec("api:contract_list", api=True, permission="helpdesk.view_contracts"),
    UrlSpec("api:contract_detail", api=True, permission="helpdesk.view_contracts", kwargs=_a_contract),
    UrlSpec("api_schema", public=True),
    UrlSpec("api_docs", public=True),
]
