from tests.harness.registry import UrlSpec


def _a_customer():
    from crm.tests.factories import CustomerFactory

    return {"pk": CustomerFactory().pk}

SPECS = [
    UrlSpec("api:token_obtain", method="post", public=True, api=True,
            data=lambda: {"email": "nobody@example.com", "password": "wrong"}),
    UrlSpec("api:token_refresh", method="post", public=True, api=True, data=lambda: {"refresh": "not-a-token"}),
    UrlSpec("api:me", api=True),
    UrlSpec("api:customer_list", api=True, permission="crm.view_customers"),
    UrlSpec("api:customer_detail", api=True, permission="crm.view_customers", kwargs=_a_customer),
    UrlSpec("api:customer_archive", method="post", api=True, permission="crm.archive_customers", kwargs=_a_customer),
    UrlSpec("api_schema", public=True),
    UrlSpec("api_docs", public=True),
]
