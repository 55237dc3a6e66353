"""Normal forms used by duplicate detection: company names, website domains, registration numbers."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlparse

# Legal-form suffixes that do not tell two companies apart ("Acme Ltd" is "ACME Limited").
COMPANY_SUFFIXES = (
    "limited", "ltd", "plc", "llp", "lp", "llc", "inc", "incorporated", "corp", "corporation", "co", "company",
    "group", "holdings", "uk", "gmbh", "sa", "sarl", "bv",
)
_SUFFIX_PATTERN = re.compile(r"(?:\s+(?:" + "|".join(COMPANY_SUFFIXES) + r"))+$")


def normalise_company_name(name: str) -> str:
    """'The ACME Networks (UK) Ltd.' -> 'acme networks'; '&' reads as 'and'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^the\s+", "", text)
    previous = None
    while previous != text:
        previous = text
        text = _SUFFIX_PATTERN.sub("", text).strip()
    return text


def website_domain(url: str) -> str:
    """'https://www.Acme.co.uk/about' -> 'acme.co.uk'; '' when there is none."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    host = (urlparse(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def normalise_registration_number(number: str) -> str:
    """Companies House numbers: upper case, no spaces; 8 characters with leading zeros for all-digit numbers."""
    value = re.sub(r"\s+", "", number or "").upper()
    return value.zfill(8) if value.isdigit() and len(value) < 8 else value


UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_uk_postcode(value: str) -> str | None:
    """' b15 2tt ' -> 'B15 2TT'; None when it is not a valid UK postcode shape."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5 or not UK_POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"
