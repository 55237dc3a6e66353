"""What an app tells the import engine: the fields it takes, how to check a row and how to apply it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str | Promise
    required: bool = False
    aliases: tuple[str, ...] = ()  # header spellings recognised when columns are matched automatically
    help: str | Promise = ""


@dataclass(frozen=True)
class ImportOption:
    """A yes/no choice the user makes on the upload page (and may change before checking again)."""

    name: str
    label: str | Promise
    help: str | Promise = ""
    default: bool = False


@dataclass
class RowCheck:
    """The verdict on one row: its errors, the cleaned data, and what applying it would do."""

    row: int
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    action: str = "create"  # create | update | skip
    matches: list[dict] = field(default_factory=list)  # [{id, name, reasons}] of existing records it duplicates
    note: str = ""
    target: Any = None  # the record an update applies to


class Importer:
    """Subclass per kind of record and `importer_register()` it. The engine calls, in order:
    `prepare()` once (load lookups so rows cost no queries), `check_row()` for every row (dry run and apply),
    then `apply_row()` for each good row inside one transaction during the apply."""

    kind: str = ""
    url_name: str = ""  # "app:name" of the upload page; the job pages are "<url_name>_job" etc.
    label: str | Promise = ""
    permission: str = ""
    fields: tuple[ImportField, ...] = ()
    max_rows: int = 50_000
    handles_duplicates: bool = True
    template_rows: tuple[tuple[str, ...], ...] = ()  # example rows for the downloadable template
    options: tuple[ImportOption, ...] = ()
    skip_label: str | Promise = gettext_lazy("Skipped (duplicates)")
    skip_summary: str | Promise = gettext_lazy("%(n)d skipped")  # in "Imported: 3 created, 1 updated, 2 skipped"
    # A bulk importer checks every row first and then writes the good ones in one go (`apply_bulk`) instead of
    # row by row (`apply_row`): for files of 100,000 rows, where a service call per row would take minutes.
    bulk: bool = False

    def prepare(self, *, job) -> Any:
        raise NotImplementedError

    def check_row(self, *, row: int, values: dict[str, str], context: Any, duplicate_mode: str) -> RowCheck:
        raise NotImplementedError

    def apply_row(self, *, check: RowCheck, context: Any, acting_user) -> str:
        """Write the row through the app's services; return the action taken (create, update or skip)."""
        raise NotImplementedError

    def apply_bulk(self, *, checks: list[RowCheck], context: Any, acting_user, progress) -> dict[str, int]:
        """Write every good row at once (bulk importers only); call `progress(done)` as rows are written and
        return the counts by action."""
        raise NotImplementedError

    def notes(self, *, context: Any) -> list[str]:
        """What a dry run says about the file as a whole, beyond its rows (shown above the counts)."""
        return []

    def option_defaults(self) -> dict[str, bool]:
        return {option.name: option.default for option in self.options}

    def back_url(self) -> str:
        raise NotImplementedError

    def field(self, name: str) -> ImportField:
        return next(item for item in self.fields if item.name == name)


_IMPORTERS: dict[str, Importer] = {}


def importer_register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_get(kind: str) -> Importer:
    return _IMPORTERS[kind]


def _simplify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def mapping_guess(*, importer: Importer, headers: list[str]) -> dict[str, int]:
    """Field name → column index for every header that names a field (by label, name or alias)."""
    by_spelling: dict[str, str] = {}
    for item in importer.fields:
        for spelling in (item.name, str(item.label), *item.aliases):
            by_spelling.setdefault(_simplify(spelling), item.name)
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = by_spelling.get(_simplify(header))
        if name and name not in mapping:
            mapping[name] = index
    return mapping
