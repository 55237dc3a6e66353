"""The shipped default prompts: TOML files in ai_prompts/defaults/, installed as system prompts in public.

`prompt_seed_defaults` is idempotent: a new key is created, a file whose `version` is newer than the one last
installed updates the system prompt (with a version row), anything else is left alone. Tenant overrides live in
the tenants' schemas and are never read or written here.
"""

from __future__ import annotations

import json
import tomllib
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from ai_prompts.errors import PromptInvalid

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "defaults"
REQUIRED = ("key", "name", "purpose", "version", "system_text", "user_template")


def _load(path: Path) -> dict:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    missing = [name for name in REQUIRED if name not in data]
    if missing:
        raise PromptInvalid(f"{path.name}: missing {', '.join(missing)}")
    if data["key"] != path.stem:
        raise PromptInvalid(f"{path.name}: key {data['key']!r} must match the file name")
    schema = data.get("output_schema")
    data["output_schema"] = json.loads(schema) if isinstance(schema, str) and schema.strip() else None
    data.setdefault("variables", [])
    data.setdefault("model", "")
    data.setdefault("temperature", None)
    data.setdefault("max_output_tokens", 1500)
    return data


@lru_cache(maxsize=1)
def shipped_defaults() -> dict[str, dict]:
    return {path.stem: _load(path) for path in sorted(DEFAULTS_DIR.glob("*.toml"))}


def _fields(data: dict) -> dict:
    return {
        "name": data["name"], "purpose": data["purpose"].strip(), "system_text": data["system_text"].strip(),
        "user_template": data["user_template"].strip(), "variables": data["variables"], "model": data["model"],
        "temperature": data["temperature"], "max_output_tokens": data["max_output_tokens"],
        "output_schema": data["output_schema"], "active": True,
    }


def prompt_seed_defaults() -> dict[str, list[str]]:
    """Install or update the system prompts from the shipped files. Returns {'created': [...], 'updated': [...]}."""
    from ai_prompts.models import Prompt
    from ai_prompts.services.prompts import prompt_save

    report = {"created": [], "updated": [], "unchanged": []}
    with schema_context(get_public_schema_name()), transaction.atomic():
        for key, data in shipped_defaults().items():
            prompt = Prompt.objects.select_for_update().filter(key=key).first()
            if prompt is None:
                prompt = Prompt(key=key, shipped_version=data["version"])
                prompt_save(prompt=prompt, fields=_fields(data), acting_user=None,
                            note=_("Shipped default v%(version)s") % {"version": data["version"]})
                report["created"].append(key)
            elif data["version"] > prompt.shipped_version:
                prompt.shipped_version = data["version"]
                prompt_save(prompt=prompt, fields=_fields(data), acting_user=None,
                            note=_("Shipped default v%(version)s") % {"version": data["version"]})
                report["updated"].append(key)
            else:
                report["unchanged"].append(key)
    return report


def prompt_reference_markdown() -> str:
    """docs/ai-prompts.md, generated from the shipped files (`manage.py prompts_doc`)."""
    lines = [
        "# AI prompts",
        "",
        "Generated from `ai_prompts/defaults/*.toml` by `manage.py prompts_doc`; do not edit by hand (a test",
        "checks that this file is current). These are the **system prompts** CCS ships; `manage.py seed_prompts`",
        "(run by `bootstrap`) installs them, and a tenant Admin may override any of them under Settings → AI prompts.",
        "Templates use `{{ name }}` placeholders; the code supplies exactly the variables listed.",
        "",
    ]
    for key, data in shipped_defaults().items():
        lines += [f"## {data['name']} (`{key}`)", "", data["purpose"].strip(), "",
                  f"- shipped version: {data['version']}",
                  f"- model: {data['model'] or 'the provider default'}; temperature: "
                  f"{data['temperature'] if data['temperature'] is not None else 'model default'}; "
                  f"max output tokens: {data['max_output_tokens']}",
                  f"- output: {'JSON validated against the schema below' if data['output_schema'] else 'free text'}",
                  "", "| Variable | Meaning |", "|---|---|"]
        lines += [f"| `{variable['name']}` | {variable.get('description', '')} |" for variable in data["variables"]]
        if not data["variables"]:
            lines.append("| — | (none) |")
        if data["output_schema"]:
            lines += ["", "<details><summary>Output schema</summary>", "", "```json",
                      json.dumps(data["output_schema"], indent=2), "```", "", "</details>"]
        lines.append("")
    return "\n".join(lines)
