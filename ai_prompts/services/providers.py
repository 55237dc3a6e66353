"""Which endpoint and key a call uses: the tenant's settings, else the system's (public schema), else the
environment (OPENAI_API_KEY / OPENAI_BASE_URL). Keys are decrypted only here and only handed to the client."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from ai_prompts.errors import AiNotConfigured
from ai_prompts.models import ProviderSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Provider:
    api_key: str = field(repr=False)
    base_url: str
    default_model: str
    source: str  # tenant / system / environment


def provider_settings_get() -> ProviderSettings:
    """The current schema's row (created empty on first use)."""
    row, _created = ProviderSettings.objects.get_or_create(pk=1)
    return row


def _from_row(row: ProviderSettings | None, source: str) -> Provider | None:
    if row is None or not row.api_key:
        return None
    return Provider(api_key=row.api_key, base_url=row.base_url, default_model=row.default_model, source=source)


def provider_resolve() -> Provider:
    public = get_public_schema_name()
    if connection.schema_name != public:
        tenant = _from_row(ProviderSettings.objects.filter(pk=1).first(), "tenant")
        if tenant:
            return tenant
    with schema_context(public):
        system = _from_row(ProviderSettings.objects.filter(pk=1).first(), "system")
    if system:
        return system
    if settings.OPENAI_API_KEY:
        return Provider(api_key=settings.OPENAI_API_KEY, base_url=settings.OPENAI_BASE_URL,
                        default_model=settings.AI_DEFAULT_MODEL, source="environment")
    raise AiNotConfigured()


def ai_configured() -> bool:
    try:
        provider_resolve()
    except AiNotConfigured:
        return False
    return True


@transaction.atomic
def provider_settings_save(*, api_key: str | None, base_url: str, default_model: str, acting_user,
                           clear_key: bool = False) -> ProviderSettings:
    """`api_key=None` keeps the stored key (the form never shows it back); `clear_key` removes it."""
    row = ProviderSettings.objects.select_for_update().filter(pk=1).first() or ProviderSettings(pk=1)
    if clear_key:
        row.api_key, row.api_key_last4 = "", ""
    elif api_key:
        row.api_key, row.api_key_last4 = api_key.strip(), api_key.strip()[-4:]
    row.base_url = base_url.strip()
    row.default_model = default_model.strip()
    row.updated_by = acting_user
    row.last_tested_at, row.last_test_ok, row.last_test_message = None, None, ""
    row.save()
    logger.info("AI provider settings changed", extra={"schema": connection.schema_name,
                                                        "key_last4": row.api_key_last4})
    return row


def provider_test_connection() -> tuple[bool, str]:
    """List the endpoint's models with the resolved key: proves the key and URL without spending tokens."""
    from ai_prompts.services.calls import openai_client

    try:
        provider = provider_resolve()
    except AiNotConfigured as error:
        ok, message = False, str(error)
    else:
        try:
            models = openai_client(provider, max_retries=0).models.list()
            names = [model.id for model in getattr(models, "data", [])][:5]
            ok, message = True, f"Connected ({provider.source} key). Models: {', '.join(names) or 'none listed'}"
        except Exception as error:  # any transport or API error is the answer to "does it work?"
            ok, message = False, f"{type(error).__name__}: {str(error)[:200]}"
    row = provider_settings_get()
    ProviderSettings.objects.filter(pk=row.pk).update(last_tested_at=timezone.now(), last_test_ok=ok,
                                                      last_test_message=message[:300])
    return ok, message
