"""The text of a customer's website for the AI, fetched in the worker: public addresses only, small and quick."""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urlparse

from django.conf import settings

MAX_BYTES = 300_000
MAX_TEXT = 6000


class _TextOnly(HTMLParser):
    SKIP = {"script", "style", "noscript", "svg", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(" ".join(data.split()))


def _public_host(host: str) -> bool:
    """Refuse loopback, private, link-local and reserved addresses: a customer's website field must never make the
    worker reach into our own network (Redis, the database, cloud metadata)."""
    if settings.AI_WEBSITE_FETCH_ALLOW_PRIVATE:
        return True
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return all(ipaddress.ip_address(address).is_global for address in addresses)


def website_text(url: str) -> tuple[str, str]:
    """(text, problem): the visible text of the page (truncated), or "" and why it could not be read."""
    if not url.strip():
        return "", "no website recorded"
    if "://" not in url:
        url = f"https://{url.strip()}"
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return "", "not a web address"
    if not _public_host(parsed.hostname):
        return "", "the address is not a public web site"
    request = urllib.request.Request(url, headers={"User-Agent": "CCS-customer-analysis/1.0"})
    try:
        with urllib.request.urlopen(request, timeout=settings.AI_WEBSITE_FETCH_TIMEOUT) as response:  # noqa: S310
            if "html" not in response.headers.get("Content-Type", "text/html"):
                return "", "the page is not HTML"
            raw = response.read(MAX_BYTES)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        return "", f"could not be fetched ({type(error).__name__})"
    parser = _TextOnly()
    parser.feed(raw.decode("utf-8", errors="replace"))
    text = " ".join(parser.parts)
    return (text[:MAX_TEXT], "") if text else ("", "the page has no readable text")
