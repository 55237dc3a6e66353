"""Beat schedule assembled from every app's `tasks.BEAT_SCHEDULE`; per-tenant jobs go through `core.tasks.fan_out`."""

from __future__ import annotations

import importlib

from django.apps import apps


def collect_beat_schedule() -> dict:
    schedule: dict = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tasks":
                raise
            continue
        for name, entry in getattr(module, "BEAT_SCHEDULE", {}).items():
            schedule[f"{config.label}:{name}"] = entry
    return schedule
