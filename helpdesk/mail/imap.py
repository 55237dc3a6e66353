"""Reading the tenant's mailbox over IMAP (stdlib imaplib, with timeouts).

Nothing is read twice: each message is recorded by its Message-ID (unique), the poll resumes after the last UID it
processed (unread messages only on the first poll and when the folder's UIDVALIDITY changes), and processed messages are flagged \\Seen and moved to a
"Processed" folder when the mailbox has one. Each message is processed in its own transaction; a failure is recorded
on that message and the poll goes on."""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from helpdesk.errors import HelpdeskError
from helpdesk.models import InboundOutcome, Mailbox, MailboxSecurity
from helpdesk.models.mailbox import LOCAL_HOSTS

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30
BATCH_SIZE = 50
PROCESSED_FOLDER = "Processed"
LOCK_SECONDS = 10 * 60


class MailboxError(HelpdeskError):
    """The mailbox could not be reached or read; the message is safe to show (it never holds the password)."""


@dataclass
class PollResult:
    processed: int = 0
    failed: int = 0
    skipped: int = 0
    more: bool = False


def _scrub(text: str, password: str) -> str:
    return text.replace(password, "********") if password else text


def imap_connect(*, host: str, port: int, security: str, username: str, password: str,
                 timeout: float = TIMEOUT_SECONDS) -> imaplib.IMAP4:
    """A logged-in connection, or MailboxError saying exactly what went wrong (never with the password in it)."""
    host = host.strip()
    if security == MailboxSecurity.NONE and host.lower() not in LOCAL_HOSTS:
        raise MailboxError("Without TLS only a server on this machine (localhost) may be used.")
    client = None
    try:
        if security == MailboxSecurity.IMPLICIT_TLS:
            client = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=timeout)
        else:
            client = imaplib.IMAP4(host, port, timeout=timeout)
            if security == MailboxSecurity.STARTTLS:
                client.starttls(ssl_context=ssl.create_default_context())
        if (username + password).isascii():
            client.login(username, password)
        else:  # LOGIN is ASCII only; SASL PLAIN carries UTF-8 (RFC 4616)
            client.authenticate("PLAIN", lambda _challenge: f"\0{username}\0{password}".encode())
        return client
    except (imaplib.IMAP4.error, OSError, ssl.SSLError, EOFError) as error:
        if client is not None:
            try:
                client.shutdown()
            except Exception:  # noqa: BLE001 - already broken
                pass
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode(errors="replace")
        if isinstance(error, socket.timeout | TimeoutError):
            detail = f"no answer within {timeout:.0f} s"
        raise MailboxError(_scrub(f"{host}:{port}: {type(error).__name__}: {detail}", password)) from None


def mailbox_connect(mailbox: Mailbox) -> imaplib.IMAP4:
    return imap_connect(host=mailbox.host, port=mailbox.port, security=mailbox.security, username=mailbox.username,
                        password=mailbox.password)


def _check(response, what: str) -> list:
    status, data = response
    if status != "OK":
        raise MailboxError(f"{what}: {status} {b' '.join(part for part in data if isinstance(part, bytes)).decode(errors='replace')}")
    return data


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mailbox_test_connection(*, host: str, port: int, security: str, username: str, password: str,
                            folder: str) -> str:
    """Log in and open the folder; say how many messages it holds. MailboxError otherwise."""
    client = imap_connect(host=host, port=port, security=security, username=username, password=password,
                          timeout=15)
    try:
        status, data = client.select(_quote(folder), readonly=True)
        if status != "OK":
            raise MailboxError(f"Folder {folder!r} cannot be opened: {data[0].decode(errors='replace') if data else status}")
        return f"Connected to {host}:{port}; {folder} holds {int(data[0])} messages."
    finally:
        try:
            client.logout()
        except Exception:  # noqa: BLE001
            pass


def _has_folder(client: imaplib.IMAP4, name: str) -> bool:
    status, data = client.list('""', _quote(name))
    return status == "OK" and any(item for item in data if item)


def mailbox_poll(*, mailbox: Mailbox, batch_size: int = BATCH_SIZE) -> PollResult:
    """Read up to `batch_size` new messages; the poll records its time and error (or clears it) on the mailbox."""
    from helpdesk.mail.route import inbound_message_process

    result = PollResult()
    try:
        client = mailbox_connect(mailbox)
        try:
            _check(client.select(_quote(mailbox.folder)), f"Opening {mailbox.folder}")
            validity_response = client.response("UIDVALIDITY")[1]
            uid_validity = int(validity_response[0]) if validity_response and validity_response[0] else None
            if uid_validity != mailbox.uid_validity:  # the folder was recreated: its UIDs start again
                mailbox.uid_validity, mailbox.last_uid = uid_validity, 0
            # The first poll (or after a UIDVALIDITY change) takes what is unread, not the mailbox's whole history;
            # after that every new UID, read or not: a person reading the inbox in a mail client must not hide it.
            criteria = (f"UID {mailbox.last_uid + 1}:*",) if mailbox.last_uid else ("UNSEEN",)
            uids = _check(client.uid("SEARCH", None, *criteria), "Searching")
            # "n:*" always matches the highest UID, even below n: keep only the new ones
            new = sorted(uid for uid in map(int, (uids[0] or b"").split()) if uid > mailbox.last_uid)
            result.more = len(new) > batch_size
            move_to = PROCESSED_FOLDER if _has_folder(client, PROCESSED_FOLDER) else ""
            capabilities = _capabilities(client) if move_to else set()
            for uid in new[:batch_size]:
                fetched = _check(client.uid("FETCH", str(uid), "(BODY.PEEK[])"), f"Fetching UID {uid}")
                raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
                if raw is None:
                    result.skipped += 1
                else:
                    try:
                        message = inbound_message_process(raw=raw, uid=uid, uid_validity=uid_validity)
                    except Exception:  # noqa: BLE001 - not even the failure could be recorded: log, go on
                        logger.exception("Inbound message UID %s in %s could not be recorded", uid,
                                         connection.schema_name)
                        result.failed += 1
                    else:
                        if message.outcome == InboundOutcome.FAILED:
                            result.failed += 1
                        else:
                            result.processed += 1
                # processed (or recorded as failed): never again
                _check(client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)"), f"Marking UID {uid} seen")
                if move_to:
                    _move(client, uid, move_to, capabilities)
                mailbox.last_uid = uid
                Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid, uid_validity=uid_validity)
        finally:
            try:
                client.logout()
            except Exception:  # noqa: BLE001
                pass
    except (MailboxError, imaplib.IMAP4.error, OSError, EOFError) as error:
        mailbox.last_error = _scrub(str(error), mailbox.password)[:2000] or type(error).__name__
        logger.warning("Mailbox poll failed in %s: %s", connection.schema_name, mailbox.last_error)
    else:
        mailbox.last_error = ""
    mailbox.last_polled_at = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=mailbox.last_polled_at, last_error=mailbox.last_error,
                                                 last_uid=mailbox.last_uid, uid_validity=mailbox.uid_validity)
    return result


def _capabilities(client: imaplib.IMAP4) -> set[str]:
    """Asked again after login: servers announce MOVE and UIDPLUS only to a logged-in session."""
    status, data = client.capability()
    return set(data[-1].decode(errors="replace").upper().split()) if status == "OK" and data else set()


def _move(client: imaplib.IMAP4, uid: int, folder: str, capabilities: set[str]) -> None:
    if "MOVE" in capabilities:
        client.uid("MOVE", str(uid), _quote(folder))
        return
    status, _data = client.uid("COPY", str(uid), _quote(folder))
    if status == "OK":
        client.uid("STORE", str(uid), "+FLAGS", "(\\Deleted)")
        if "UIDPLUS" in capabilities:
            client.uid("EXPUNGE", str(uid))
        else:
            client.expunge()


def mailboxes_poll() -> int:
    """The beat job's work in one tenant: poll the enabled mailbox unless a poll is already running."""
    mailbox = Mailbox.objects.filter(is_enabled=True).first()
    if mailbox is None:
        return 0
    lock = f"helpdesk-mailbox-poll-{mailbox.pk}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return 0
    try:
        return mailbox_poll(mailbox=mailbox).processed
    finally:
        cache.delete(lock)
