from tests.harness.registry import UrlSpec

SPECS = [
    UrlSpec("api:token_obtain", method="post", public=True, api=True,
            data=lambda: {"email": "nobody@example.com", "password": "wrong"}),
    UrlSpec("api:token_refresh", method="post", public=True, api=True, data=lambda: {"refresh": "not-a-token"}),
    UrlSpec("api:me", api=True),
    UrlSpec("api_schema", public=True),
    UrlSpec("api_docs", public=True),
]
