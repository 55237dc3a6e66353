"""What changed between two versions of a quote: lines added, removed and changed, and the change in totals.

Both sides are snapshots (the JSON a sent revision froze, or the working draft rendered the same way), so a revision
can be compared with any other or with the draft being edited. Lines are matched by their id: revising a quote keeps
editing the same line rows, so a line that exists on both sides is the same line, changed or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

# The fields a reader of the quote cares about, with the label the diff shows for each.
COMPARED_FIELDS = (
    ("description", _("Description")), ("part_number", _("Part number")), ("supplier_name", _("Supplier")),
    ("quantity", _("Quantity")), ("unit", _("Unit")), ("unit_cost", _("Unit cost")), ("unit_price", _("Unit price")),
    ("discount_percent", _("Discount %")), ("is_optional", _("Optional")),
    ("alternative_group", _("Alternative group")), ("alternative_chosen", _("Chosen option")),
    ("recurrence", _("Recurrence")), ("net", _("Line total")), ("counted", _("Counts in the total")),
)
HEADER_FIELDS = (
    ("title", _("Title")), ("introduction", _("Introduction")), ("contact", _("Contact")), ("site", _("Site")),
    ("valid_until", _("Valid until")), ("tax_rate", _("Tax rate %")), ("terms", _("Terms")),
)
TOTAL_FIELDS = (
    ("net", _("Net (one-off)")), ("discount", _("Discounts")), ("tax", _("Tax")), ("total", _("Total (one-off)")),
    ("optional", _("Optional items")), ("margin_percent", _("Margin %")),
)
DECIMAL_FIELDS = {"quantity", "unit_cost", "unit_price", "discount_percent", "net", "tax_rate"}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: object
    before: object
    after: object


@dataclass(frozen=True)
class LineChange:
    line: dict  # the line as it is on the newer side
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class TotalChange:
    label: object
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.before is None and self.after is None:
            return None
        return (self.after or Decimal("0")) - (self.before or Decimal("0"))


@dataclass
class QuoteDiff:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    unchanged_count: int = 0
    header: list[FieldChange] = field(default_factory=list)
    totals: list[TotalChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved or self.header) and all(
            total.delta in (None, Decimal("0")) for total in self.totals)


def _same(name: str, before, after) -> bool:
    if name in DECIMAL_FIELDS and before not in (None, "") and after not in (None, ""):
        return Decimal(str(before)) == Decimal(str(after))  # "2.00" and "2" are the same quantity
    return (before or "") == (after or "") if isinstance(before or after, str) else before == after


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _totals(old: dict, new: dict) -> list[TotalChange]:
    before, after = old.get("totals", {}), new.get("totals", {})
    rows = [TotalChange(label, _decimal(before.get(key)), _decimal(after.get(key))) for key, label in TOTAL_FIELDS]
    periods = sorted(set(before.get("recurring", {})) | set(after.get("recurring", {})))
    for period in periods:
        rows.append(TotalChange(_("Recurring %(period)s (net)") % {"period": period},
                                _decimal(before.get("recurring", {}).get(period, {}).get("net")),
                                _decimal(after.get("recurring", {}).get(period, {}).get("net"))))
    return rows


def snapshot_diff(old: dict, new: dict) -> QuoteDiff:
    """Compare two snapshots: `old` is the earlier version, `new` the later one."""
    diff = QuoteDiff()
    old_lines = {line["id"]: line for line in old.get("lines", [])}
    new_lines = {line["id"]: line for line in new.get("lines", [])}
    old_order = [line_id for line_id in old_lines if line_id in new_lines]
    new_order = [line_id for line_id in new_lines if line_id in old_lines]
    # a line moved when it is outside the longest run of lines that kept their relative order
    matcher = SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    kept_in_place = {line_id for block in matcher.get_matching_blocks()
                     for line_id in new_order[block.b:block.b + block.size]}
    for line in new.get("lines", []):
        previous = old_lines.get(line["id"])
        if previous is None:
            diff.added.append(line)
            continue
        changes = tuple(FieldChange(name, label, previous.get(name), line.get(name))
                        for name, label in COMPARED_FIELDS
                        if line["kind"] != "section" or name == "description"
                        if not _same(name, previous.get(name), line.get(name)))
        if changes:
            diff.changed.append(LineChange(line=line, changes=changes))
        elif line["id"] not in kept_in_place:
            diff.moved.append(line)
        else:
            diff.unchanged_count += 1
    diff.removed = [line for line_id, line in old_lines.items() if line_id not in new_lines]
    for name, label in HEADER_FIELDS:
        if not _same(name, old.get(name), new.get(name)):
            diff.header.append(FieldChange(name, label, old.get(name), new.get(name)))
    diff.totals = _totals(old, new)
    return diff
