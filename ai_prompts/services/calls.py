"""The one governed way to call a model: resolve and render the prompt, check the budget, call through the openai
SDK (timeout; retries with backoff on 429, 5xx and timeouts), validate structured output against the prompt's
schema (one repair round through the `output_repair` prompt), and log the call with its cost."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ai_prompts.errors import AiBudgetExceeded, AiCallFailed, AiError, AiOutputInvalid
from ai_prompts.models import AiCall, CallOutcome
from ai_prompts.services.prompts import ResolvedPrompt, prompt_render, prompt_resolve
from ai_prompts.services.providers import Provider, provider_resolve

logger = logging.getLogger(__name__)
REPAIR_PROMPT_KEY = "output_repair"
MILLION = Decimal(1_000_000)


@dataclass
class AiResult:
    call: AiCall
    text: str
    data: dict | list | None  # the parsed JSON when the prompt has an output schema


def openai_client(provider: Provider, *, max_retries: int | None = None, timeout: float | None = None):
    import openai

    return openai.OpenAI(
        api_key=provider.api_key, base_url=provider.base_url or None,
        timeout=timeout if timeout is not None else settings.AI_TIMEOUT_SECONDS,
        max_retries=settings.AI_MAX_RETRIES if max_retries is None else max_retries,
    )


def tenant_monthly_budget() -> int | None:
    tenant = getattr(connection, "tenant", None)
    plan = getattr(tenant, "plan", None)
    return settings.AI_MONTHLY_TOKEN_BUDGETS.get(plan) if plan else None


def tokens_used_this_month() -> int:
    start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    totals = AiCall.objects.filter(created_at__gte=start).aggregate(tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out"))
    return (totals["tokens_in"] or 0) + (totals["tokens_out"] or 0)


def budget_check() -> None:
    budget = tenant_monthly_budget()
    if budget is None:
        return
    used = tokens_used_this_month()
    if used >= budget:
        raise AiBudgetExceeded(used=used, budget=budget)


def estimated_cost(model: str, tokens_in: int, tokens_out: int) -> Decimal | None:
    prices = settings.AI_MODEL_PRICES.get(model)
    if prices is None:
        return None
    price_in, price_out = (Decimal(price) for price in prices)
    return ((price_in * tokens_in + price_out * tokens_out) / MILLION).quantize(Decimal("0.000001"))


def _messages_text(messages: list[dict]) -> str:
    return "\n\n".join(f"[{message['role']}]\n{message['content']}" for message in messages)


def _response_format(prompt: ResolvedPrompt) -> dict | None:
    if not prompt.output_schema:
        return None
    return {"type": "json_schema",
            "json_schema": {"name": prompt.key, "schema": prompt.output_schema, "strict": False}}


def _validation_errors(prompt: ResolvedPrompt, text: str) -> tuple[object, list[str]]:
    from jsonschema import Draft202012Validator

    try:
        data = json.loads(text)
    except (TypeError, ValueError) as error:
        return None, [f"not JSON: {error}"]
    errors = [f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
              for error in Draft202012Validator(prompt.output_schema).iter_errors(data)]
    return data, errors[:10]


class _Attempt:
    """Accumulates tokens, attempts and the transcript across the first call and the repair."""

    def __init__(self):
        self.tokens_in = self.tokens_out = self.attempts = 0
        self.request_parts: list[str] = []
        self.response_parts: list[str] = []

    def send(self, client, *, prompt: ResolvedPrompt, model: str, messages: list[dict]) -> str:
        import openai

        kwargs = {"model": model, "messages": messages, "max_completion_tokens": prompt.max_output_tokens}
        if prompt.temperature is not None:
            kwargs["temperature"] = float(prompt.temperature)
        response_format = _response_format(prompt)
        if response_format:
            kwargs["response_format"] = response_format
        self.request_parts.append(_messages_text(messages))
        self.attempts += 1
        try:
            raw = client.chat.completions.with_raw_response.create(**kwargs)
        except openai.APITimeoutError:
            raise AiCallFailed(_("The AI model did not answer within %(seconds)s seconds (tried %(n)s times).")
                               % {"seconds": f"{settings.AI_TIMEOUT_SECONDS:g}", "n": settings.AI_MAX_RETRIES + 1}) from None
        except openai.RateLimitError:
            raise AiCallFailed(_("The AI provider is rate-limiting this key (HTTP 429), still after %(n)s tries. "
                                 "Try again in a minute.") % {"n": settings.AI_MAX_RETRIES + 1}) from None
        except openai.AuthenticationError:
            raise AiCallFailed(_("The AI provider refused the API key (HTTP 401): an Admin checks it under "
                                 "Settings → AI provider.")) from None
        except openai.APIStatusError as error:
            raise AiCallFailed(_("The AI provider answered HTTP %(status)s: %(message)s")
                               % {"status": error.status_code, "message": str(error.message)[:300]}) from None
        except openai.APIConnectionError:
            raise AiCallFailed(_("The AI provider cannot be reached (connection failed).")) from None
        completion = raw.parse()
        usage = getattr(completion, "usage", None)
        if usage is not None:
            self.tokens_in += usage.prompt_tokens or 0
            self.tokens_out += usage.completion_tokens or 0
        text = (completion.choices[0].message.content or "") if completion.choices else ""
        self.response_parts.append(text)
        return text


def ai_call(*, key: str, variables: dict, user=None, feature: str = "",
            prompt: ResolvedPrompt | None = None) -> AiResult:
    """Run prompt `key` with `variables`. Raises an AiError subclass with a message for the user on any failure;
    every attempt that reached the provider (and every refusal for budget) leaves an AiCall row.

    `prompt` replaces the resolved prompt (the editor's test run of an unsaved draft).
    """
    prompt = prompt or prompt_resolve(key=key)
    system_text, user_text = prompt_render(prompt=prompt, variables=variables)
    provider = provider_resolve()
    model = prompt.model or provider.default_model or settings.AI_DEFAULT_MODEL
    messages = [{"role": "system", "content": system_text}, {"role": "user", "content": user_text}]
    log = AiCall(user=user if getattr(user, "pk", None) else None, feature=feature, prompt_key=key,
                 prompt_version=prompt.label, model=model, provider_source=provider.source)
    try:
        budget_check()
    except AiBudgetExceeded as error:
        log.outcome, log.error, log.request_text = CallOutcome.OVER_BUDGET, str(error), _messages_text(messages)
        log.save()
        error.call = log
        raise

    attempt = _Attempt()
    started = time.monotonic()
    data, outcome, error_text = None, CallOutcome.OK, ""
    try:
        client = openai_client(provider)
        text = attempt.send(client, prompt=prompt, model=model, messages=messages)
        if prompt.output_schema:
            data, errors = _validation_errors(prompt, text)
            if errors:
                repair = prompt_resolve(key=REPAIR_PROMPT_KEY)
                _repair_system, repair_user = prompt_render(prompt=repair, variables={
                    "errors": "\n".join(errors), "schema": prompt.output_schema})
                messages = messages + [{"role": "assistant", "content": text}, {"role": "user", "content": repair_user}]
                text = attempt.send(client, prompt=prompt, model=model, messages=messages)
                data, errors = _validation_errors(prompt, text)
                if errors:
                    raise AiOutputInvalid(_("The AI answer did not have the expected structure, even after one "
                                            "repair attempt: %(errors)s") % {"errors": "; ".join(errors[:3])})
                outcome = CallOutcome.REPAIRED
    except AiError as error:
        outcome = CallOutcome.INVALID_OUTPUT if isinstance(error, AiOutputInvalid) else CallOutcome.FAILED
        error_text = str(error)
        error.call = log  # the job shows the failed call (saved below) with its transcript
        raise
    except Exception as error:  # a bug or an unexpected SDK error: still logged, then raised
        outcome, error_text = CallOutcome.FAILED, f"{type(error).__name__}: {error}"
        raise
    finally:
        log.latency_ms = int((time.monotonic() - started) * 1000)
        log.tokens_in, log.tokens_out, log.attempts = attempt.tokens_in, attempt.tokens_out, attempt.attempts
        log.estimated_cost = estimated_cost(model, attempt.tokens_in, attempt.tokens_out)
        log.outcome, log.error = outcome, error_text
        log.request_text = "\n\n----- repair -----\n\n".join(attempt.request_parts) or _messages_text(messages)
        log.response_text = "\n\n----- repair -----\n\n".join(attempt.response_parts)
        log.save()
        logger.info("AI call", extra={"prompt_key": key, "model": model, "outcome": log.outcome,
                                      "tokens_in": log.tokens_in, "tokens_out": log.tokens_out,
                                      "latency_ms": log.latency_ms, "provider_source": provider.source})
    return AiResult(call=log, text=text, data=data)

