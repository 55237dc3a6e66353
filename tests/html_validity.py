"""Strict HTML5 checks for pages and htmx fragments: nesting errors (a block inside <p>, stray end tags) and
duplicate ids fail the test that renders them."""

from __future__ import annotations

import re
from collections import Counter

import html5lib


def assert_valid_html(html: str, *, fragment: bool = False) -> None:
    parser = html5lib.HTMLParser(strict=False)
    if fragment:
        parser.parseFragment(html)
    else:
        parser.parse(html)
    errors = [f"line {line}:{column} {code} {data}" for (line, column), code, data in parser.errors
              if code not in _TOLERATED]
    assert errors == [], "HTML parse errors:\n" + "\n".join(errors)
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    duplicated = sorted(identifier for identifier, count in ids.items() if count > 1)
    assert duplicated == [], f"duplicate ids: {duplicated}"


# A fragment starts mid-document: htmx swaps it into a page that already has the doctype.
_TOLERATED = {"expected-doctype-but-got-start-tag", "expected-doctype-but-got-chars"}
