"""Read one raw email into what the helpdesk needs. Pure: bytes in, a ParsedMessage out, no database.

Mail in the wild is broken in every way: wrong or unknown charsets, missing headers, HTML only. Nothing here raises
on such input; an undecodable byte becomes U+FFFD instead."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class ParsedAttachment:
    name: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass
class ParsedMessage:
    message_id: str
    subject: str
    sender: str  # lower-cased address, "" when there is none
    sender_name: str
    recipients: list[str]  # To, Cc, Delivered-To, X-Original-To (lower-cased)
    in_reply_to: list[str]
    references: list[str]
    sent_at: datetime | None
    text: str  # the whole body as text
    reply_text: str  # the new part only, quoted history trimmed
    attachments: list[ParsedAttachment] = field(default_factory=list)
    is_auto_reply: bool = False
    is_bounce: bool = False

    @property
    def thread_ids(self) -> list[str]:
        """Ids this message answers, nearest first."""
        seen, ordered = set(), []
        for message_id in self.in_reply_to + list(reversed(self.references)):
            if message_id not in seen:
                seen.add(message_id)
                ordered.append(message_id)
        return ordered


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a header the policy cannot parse is read raw
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return str(value or "").strip()


def _ids(value: str) -> list[str]:
    return MESSAGE_ID_RE.findall(value or "")


def parse_message(raw: bytes) -> ParsedMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = (_ids(_header(message, "Message-ID")) or [""])[0]
    if not message_id:
        message_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    sender_name, sender = parseaddr(_header(message, "From"))
    recipients = [address.lower() for _, address in getaddresses(
        [_header(message, name) for name in ("To", "Cc", "Delivered-To", "X-Original-To")]) if address]
    try:
        sent_at = parsedate_to_datetime(_header(message, "Date")) if _header(message, "Date") else None
        if sent_at is not None and sent_at.tzinfo is None:
            sent_at = None
    except (TypeError, ValueError, IndexError):
        sent_at = None
    text = body_text(message)
    return ParsedMessage(
        message_id=message_id[:998],
        subject=" ".join(_header(message, "Subject").split())[:300],
        sender=sender.lower(), sender_name=sender_name[:200], recipients=recipients,
        in_reply_to=_ids(_header(message, "In-Reply-To")), references=_ids(_header(message, "References")),
        sent_at=sent_at, text=text, reply_text=reply_trim(text), attachments=attachments(message),
        is_auto_reply=is_auto_reply(message), is_bounce=is_bounce(message, sender.lower()),
    )


# ---------------------------------------------------------------- body
def _part_text(part: EmailMessage) -> str:
    """The part's text in its declared charset; unknown or lying charsets are decoded with replacement."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python has never heard of
        return payload.decode("utf-8", errors="replace")


def body_text(message: EmailMessage) -> str:
    """text/plain when there is one, else the HTML made readable."""
    plain = html_part = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain" and plain is None:
            plain = part
        elif content_type == "text/html" and html_part is None:
            html_part = part
    if plain is not None:
        text = _part_text(plain)
    elif html_part is not None:
        text = html_to_text(_part_text(html_part))
    else:
        text = ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol",
              "hr", "pre"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Tags dropped (scripts and styles with their content), entities decoded, block elements become lines.
    The result is plain text: the page escapes it like any other text."""
    extractor = _TextExtractor()
    try:
        extractor.feed(markup)
        extractor.close()
    except Exception:  # noqa: BLE001 - hopeless markup: fall back to stripping anything tag-shaped
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    lines = [line.strip() for line in "".join(extractor.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


QUOTE_HEADERS = [
    re.compile(r"^On .{0,200}wrote:\s*$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^_{10,}\s*$"),  # Outlook's rule above "From: ... Sent: ..."
    re.compile(r"^From: .+$"),  # Outlook without a rule; only counts when Sent:/Date: follows
]


FORWARD_MARKER = re.compile(r"^(-+\s*Forwarded message\s*-+|Begin forwarded message:)$", re.IGNORECASE)


def reply_trim(text: str) -> str:
    """The new text above the quoted history ("On ... wrote:", "-----Original Message-----", "> " lines).
    A message that is only quotes (or a forward) is kept whole."""
    lines = text.split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        # Gmail wraps a long "On <date>, <name> <address> wrote:" over two lines
        joined = stripped + " " + lines[index + 1].strip() if index + 1 < len(lines) else stripped
        if QUOTE_HEADERS[0].match(stripped) or (stripped.lower().startswith("on ") and QUOTE_HEADERS[0].match(joined)):
            cut = index
            break
        if QUOTE_HEADERS[1].match(stripped) or QUOTE_HEADERS[2].match(stripped):
            cut = index
            break
        if QUOTE_HEADERS[3].match(stripped) and index + 1 < len(lines) and re.match(
                r"^(Sent|Date): ", lines[index + 1].strip()):
            cut = index
            break
    kept = lines[:cut]
    if any(FORWARD_MARKER.match(line.strip()) for line in kept):
        return text.strip()  # a forward: the "quoted" part is the content
    while kept and kept[-1].lstrip().startswith(">"):  # trailing "> quoted" lines without a header
        kept.pop()
    trimmed = "\n".join(kept).strip()
    return trimmed or text.strip()


# ---------------------------------------------------------------- attachments
def attachments(message: EmailMessage) -> list[ParsedAttachment]:
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        content_type = part.get_content_type()
        name = part.get_filename()
        is_body = content_type in ("text/plain", "text/html") and disposition != "attachment" and not name
        if is_body or content_type in ("message/delivery-status",):
            continue
        if disposition is None and not name and not content_type.startswith("image/"):
            continue
        data = part.get_payload(decode=True) or b""
        if not name:
            extension = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}.get(content_type, ".bin")
            name = f"image-{len(found) + 1}{extension}"
        found.append(ParsedAttachment(name=_safe_name(name), content_type=content_type, data=data,
                                      inline=disposition == "inline" or bool(part.get("Content-ID"))))
    return found


def _safe_name(name: str) -> str:
    name = re.split(r"[\\/]", str(name))[-1]
    name = re.sub(r"[\x00-\x1f]", "", name).strip().strip(".") or "attachment"
    return name[:200]


# ---------------------------------------------------------------- loops
def is_auto_reply(message: EmailMessage) -> bool:
    """RFC 3834 Auto-Submitted, and what Exchange, Gmail and list servers use instead. Answering these loops."""
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return True
    if _header(message, "Precedence").lower() in {"bulk", "junk", "list", "auto_reply"}:
        return True
    suppress = _header(message, "X-Auto-Response-Suppress").lower()
    if suppress and any(word in suppress for word in ("all", "oof", "autoreply")):
        return True
    return False


def is_bounce(message: EmailMessage, sender: str) -> bool:
    if message.get_content_type() == "multipart/report":
        return True
    local = sender.split("@", 1)[0].lower()
    if local in {"mailer-daemon", "postmaster"} or not sender and _header(message, "Return-Path") == "<>":
        return True
    return any(part.get_content_type() == "message/delivery-status" for part in message.walk())
