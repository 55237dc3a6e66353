"""Prompts: resolution (tenant override -> system -> PromptNotFound), the Redis cache, rendering, edits and history.

Resolved prompts are cached per schema (django-tenants' cache key function puts the schema in every key) and the
keys are deleted when a prompt is saved, so the next call in any process (web or Celery worker) reads the new text.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from ai_prompts.errors import PromptInvalid, PromptNotFound
from ai_prompts.models import SNAPSHOT_FIELDS, Prompt, PromptVersion

logger = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
_MISSING = "-"
# Tests rotate it so a cache filled inside one test's rolled-back transaction cannot reach the next test.
namespace = "ai-prompt"


@dataclass(frozen=True)
class ResolvedPrompt:
    key: str
    name: str
    system_text: str
    user_template: str
    variables: list = field(default_factory=list)
    model: str = ""
    temperature: Decimal | None = None
    max_output_tokens: int = 1500
    output_schema: dict | None = None
    version: int = 0
    source: str = "system"  # system / tenant / draft

    @property
    def label(self) -> str:
        return "draft" if self.source == "draft" else f"{self.source} v{self.version}"

    @property
    def variable_names(self) -> list[str]:
        return [variable["name"] for variable in self.variables]


def _as_resolved(prompt: Prompt, source: str) -> ResolvedPrompt:
    return ResolvedPrompt(
        key=prompt.key, name=prompt.name, system_text=prompt.system_text, user_template=prompt.user_template,
        variables=list(prompt.variables or []), model=prompt.model, temperature=prompt.temperature,
        max_output_tokens=prompt.max_output_tokens, output_schema=prompt.output_schema, version=prompt.version,
        source=source,
    )


def _cache_key(key: str) -> str:
    return f"{namespace}:{key}"


def _cached_lookup(key: str, source: str) -> ResolvedPrompt | None:
    """The active prompt of the current schema, through the cache ("-" remembers that there is none)."""
    cached = cache.get(_cache_key(key))
    if cached is not None:
        return None if cached == _MISSING else cached
    prompt = Prompt.objects.filter(key=key, active=True).first()
    resolved = _as_resolved(prompt, source) if prompt else None
    cache.set(_cache_key(key), resolved or _MISSING, settings.AI_PROMPT_CACHE_SECONDS)
    return resolved


def prompt_resolve(*, key: str) -> ResolvedPrompt:
    """The tenant's active override, else the active system prompt, else PromptNotFound (logged)."""
    public = get_public_schema_name()
    if connection.schema_name != public:
        override = _cached_lookup(key, "tenant")
        if override is not None:
            return override
    with schema_context(public):
        system = _cached_lookup(key, "system")
    if system is None:
        logger.error("AI prompt not found", extra={"prompt_key": key, "schema": connection.schema_name})
        raise PromptNotFound(key)
    return system


def prompt_cache_invalidate(*, key: str) -> None:
    """Delete the cached resolution of `key` in the current schema, now and again on commit."""
    schema = connection.schema_name

    def delete():
        with schema_context(schema):
            cache.delete(_cache_key(key))

    delete()
    transaction.on_commit(delete)


# Rendering -----------------------------------------------------------------------------------------------------

def template_placeholders(text: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(text or "")))


def _as_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return "" if value is None else str(value)


def prompt_render(*, prompt: ResolvedPrompt, variables: dict) -> tuple[str, str]:
    """(system text, user text) with every `{{ name }}` replaced. A declared variable the caller did not supply is
    a programming error in the feature, reported as such."""
    missing = [name for name in prompt.variable_names if name not in variables]
    if missing:
        raise PromptInvalid(_("The feature did not supply the prompt variables: %(names)s.") % {"names": ", ".join(missing)})

    def substitute(text: str) -> str:
        return PLACEHOLDER.sub(lambda match: _as_text(variables.get(match.group(1), "")), text)

    return substitute(prompt.system_text), substitute(prompt.user_template)


def prompt_sample_variables(*, prompt) -> dict:
    return {variable["name"]: variable.get("sample", "") for variable in (prompt.variables or [])}


# Validation -----------------------------------------------------------------------------------------------------

def prompt_validate(*, system_text: str, user_template: str, variables: list, known: list[str] | None,
                    output_schema) -> list[str]:
    """Problems that stop a save: placeholders that are not declared, declared names the feature cannot supply,
    an output schema that is not a JSON schema."""
    problems = []
    declared = [variable.get("name", "") for variable in variables]
    used = template_placeholders(system_text) + template_placeholders(user_template)
    undeclared = sorted(set(used) - set(declared))
    if undeclared:
        problems.append(_("The template uses undeclared variables: %(names)s.") % {"names": ", ".join(undeclared)})
    if known is not None:
        unknown = sorted(set(declared) - set(known))
        if unknown:
            problems.append(_("These variables are not supplied by the feature: %(names)s. Known: %(known)s.")
                            % {"names": ", ".join(unknown), "known": ", ".join(known)})
    if output_schema not in (None, ""):
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError

        try:
            Draft202012Validator.check_schema(output_schema)
        except SchemaError as error:
            problems.append(_("The output schema is not a valid JSON schema: %(error)s") % {"error": error.message})
    return problems


def prompt_known_variables(*, key: str) -> list[str] | None:
    """What the code supplies for `key`: the variables of the shipped default (None when nothing ships it)."""
    from ai_prompts.services.seeding import shipped_defaults

    shipped = shipped_defaults().get(key)
    return None if shipped is None else [variable["name"] for variable in shipped["variables"]]


# Edits and history --------------------------------------------------------------------------------------------

def _snapshot(prompt: Prompt) -> dict:
    data = {name: getattr(prompt, name) for name in SNAPSHOT_FIELDS}
    data["temperature"] = None if prompt.temperature is None else str(prompt.temperature)
    return data


def _apply(prompt: Prompt, fields: dict) -> None:
    for name in SNAPSHOT_FIELDS:
        if name in fields:
            value = fields[name]
            if name == "temperature" and value not in (None, ""):
                value = Decimal(str(value))
            if name == "temperature" and value == "":
                value = None
            setattr(prompt, name, value)


@transaction.atomic
def prompt_save(*, prompt: Prompt, fields: dict, acting_user, note: str = "") -> Prompt:
    """Change a prompt of the current schema (system prompt in public, override in a tenant) and keep a version."""
    _apply(prompt, fields)
    problems = prompt_validate(system_text=prompt.system_text, user_template=prompt.user_template,
                               variables=prompt.variables, known=prompt_known_variables(key=prompt.key),
                               output_schema=prompt.output_schema)
    if problems:
        raise PromptInvalid(" ".join(problems))
    if prompt.pk:
        prompt.version += 1
    prompt.save()
    PromptVersion.objects.create(prompt=prompt, version=prompt.version, snapshot=_snapshot(prompt),
                                 author=acting_user, note=note[:200])
    prompt_cache_invalidate(key=prompt.key)
    return prompt


def system_prompt_get(*, key: str) -> Prompt | None:
    with schema_context(get_public_schema_name()):
        return Prompt.objects.filter(key=key).first()


def system_prompt_list() -> list[Prompt]:
    with schema_context(get_public_schema_name()):
        return list(Prompt.objects.all())


@transaction.atomic
def prompt_override_save(*, key: str, fields: dict, acting_user, note: str = "") -> Prompt:
    """Copy-on-edit: the first edit copies the system prompt into the tenant's schema; later edits version it."""
    override = Prompt.objects.select_for_update().filter(key=key).first()
    if override is None:
        system = system_prompt_get(key=key)
        if system is None:
            raise PromptNotFound(key)
        override = Prompt(key=key, **{name: getattr(system, name) for name in SNAPSHOT_FIELDS})
        override.based_on_system_version = system.version
    elif not override.active:  # editing again after "revert to system" starts from the current system prompt
        system = system_prompt_get(key=key)
        override.based_on_system_version = system.version if system else override.based_on_system_version
    fields = {**fields, "active": True}
    return prompt_save(prompt=override, fields=fields, acting_user=acting_user, note=note)


@transaction.atomic
def prompt_rollback(*, prompt: Prompt, version: int, acting_user) -> Prompt:
    target = prompt.versions.filter(version=version).first()
    if target is None:
        raise PromptInvalid(_("Version %(version)s does not exist.") % {"version": version})
    return prompt_save(prompt=prompt, fields=dict(target.snapshot), acting_user=acting_user,
                       note=_("Rolled back to version %(version)s") % {"version": version})


@transaction.atomic
def prompt_override_revert(*, prompt: Prompt, acting_user) -> Prompt:
    """Use the system prompt again. The override stays (inactive) with its history; editing reactivates it."""
    return prompt_save(prompt=prompt, fields={"active": False}, acting_user=acting_user,
                       note=_("Reverted to the system prompt"))


def _version_text(snapshot: dict) -> list[str]:
    lines = []
    for name in SNAPSHOT_FIELDS:
        value = snapshot.get(name)
        if name in ("variables", "output_schema"):
            value = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
        lines.append(f"## {name}")
        lines.extend(str(value if value is not None else "").splitlines() or [""])
    return lines


def prompt_version_diff(*, older: PromptVersion, newer: PromptVersion) -> list[tuple[str, str]]:
    """Unified diff lines as (css class, text): 'add', 'del', 'hunk' or ''."""
    diff = difflib.unified_diff(_version_text(older.snapshot), _version_text(newer.snapshot),
                                fromfile=f"v{older.version}", tofile=f"v{newer.version}", lineterm="", n=2)
    rows = []
    for line in diff:
        if line.startswith(("+++", "---")):
            css = "file"
        elif line.startswith("@@"):
            css = "hunk"
        elif line.startswith("+"):
            css = "add"
        elif line.startswith("-"):
            css = "del"
        else:
            css = ""
        rows.append((css, line))
    return rows
