"""Seeding that `manage.py bootstrap` (and tenant provisioning) run idempotently.

Apps register seeders in their AppConfig.ready(): `register_tenant_seeder` runs inside every tenant schema (and for
each newly provisioned tenant), `register_public_seeder` once in the public schema. Later features register their
reference data and prompts here.
"""

from __future__ import annotations

from collections.abc import Callable

_tenant_seeders: dict[str, Callable[[], None]] = {}
_public_seeders: dict[str, Callable[[], None]] = {}


def register_tenant_seeder(name: str, seeder: Callable[[], None]) -> None:
    _tenant_seeders[name] = seeder


def register_public_seeder(name: str, seeder: Callable[[], None]) -> None:
    _public_seeders[name] = seeder


def run_tenant_seeders() -> list[str]:
    """Run in the current (tenant) schema."""
    for seeder in _tenant_seeders.values():
        seeder()
    return list(_tenant_seeders)


def run_public_seeders() -> list[str]:
    for seeder in _public_seeders.values():
        seeder()
    return list(_public_seeders)
