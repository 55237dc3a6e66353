"""Parsing real .eml fixtures (helpdesk/tests/fixtures/mail): bodies, charsets, attachments, quoted replies, loops."""

from pathlib import Path

import pytest

from helpdesk.mail.parse import html_to_text, parse_message, reply_trim

FIXTURES = Path(__file__).parent / "fixtures" / "mail"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_a_plain_text_message():
    parsed = parse_message(fixture("plain.eml"))
    assert parsed.message_id == "<plain-1@mail.harbourdental.co.uk>"
    assert (parsed.sender, parsed.sender_name) == ("ann.lee@harbourdental.co.uk", "Ann Lee")
    assert parsed.subject == "Printer offline in surgery 2"
    assert parsed.text == 'Hello,\n\nThe printer in surgery 2 shows "offline" since this morning.\n\nThanks,\nAnn'
    assert parsed.recipients == ["support@test1.localhost"]
    assert parsed.sent_at.isoformat() == "2026-11-23T09:15:00+00:00"
    assert not (parsed.is_auto_reply or parsed.is_bounce or parsed.attachments)


def test_an_html_only_message_becomes_readable_text_without_scripts_or_styles():
    parsed = parse_message(fixture("html_only.eml"))
    assert parsed.text == 'The viewer crashes when opening "large" images & scans.\n\n- Room 1\n\n- Room 3'
    assert "alert" not in parsed.text and "color" not in parsed.text


def test_attachments_keep_names_types_and_bytes_inline_images_included():
    parsed = parse_message(fixture("attachments.eml"))
    assert parsed.text == "The scanner fails, log and screenshot attached."
    assert [(a.name, a.content_type, a.inline) for a in parsed.attachments] == [
        ("image-1.png", "image/png", True),
        ("scanner-report.pdf", "application/pdf", False),
        ("fix.exe", "application/octet-stream", False),
    ]
    assert parsed.attachments[1].data.startswith(b"%PDF-1.4")
    assert parsed.attachments[0].data.startswith(b"\x89PNG")


def test_a_windows_1252_message_reads_pound_and_accents():
    parsed = parse_message(fixture("windows1252.eml"))
    assert parsed.subject == "Facture à £50"
    assert parsed.sender_name == "Renée Dubois"
    assert parsed.text == "Le café a payé £50 – merci."


def test_a_lying_or_unknown_charset_is_replaced_not_fatal():
    raw = (b"From: x@example.com\r\nSubject: broken\r\nMessage-ID: <b@x>\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nbad \xff\xfe bytes\r\n")
    assert parse_message(raw).text == "bad \ufffd\ufffd bytes"
    unknown = raw.replace(b"charset=utf-8", b"charset=x-no-such-charset")
    assert parse_message(unknown).text == "bad \ufffd\ufffd bytes"


def test_a_message_without_message_id_gets_a_stable_one():
    raw = b"From: x@example.com\r\nSubject: no id\r\n\r\nhello\r\n"
    assert parse_message(raw).message_id == parse_message(raw).message_id
    assert parse_message(raw).message_id.startswith("<sha256-")


def test_quoted_history_is_trimmed_from_the_reply_but_kept_in_the_text():
    parsed = parse_message(fixture("reply_subject_changed.eml"))
    assert parsed.reply_text == "It works again after the restart, thank you."
    assert "Please restart the printer." in parsed.text
    assert parsed.in_reply_to == ["<comment-999999.0123456789abcdef@test1.localhost>"]
    assert parsed.thread_ids == ["<comment-999999.0123456789abcdef@test1.localhost>",
                                 "<ticket-1.0123456789abcdef@test1.localhost>"]
    outlook = parse_message(fixture("reply_token_only.eml"))
    assert outlook.reply_text == "Still broken after all."


@pytest.mark.parametrize("text, expected", [
    ("Fine now.\n\nOn Mon, 23 Nov 2026 at 14:00, Support <s@x>\nwrote:\n> old", "Fine now."),
    ("Fine now.\n> old\n> older", "Fine now."),
    ("Fine now.\n________________________________\nFrom: Support\nSent: Monday", "Fine now."),
    ("Fine now.\nFrom: Support <s@x>\nSent: Monday\nSubject: x", "Fine now."),
    ("> only a quote", "> only a quote"),
])
def test_reply_trimming(text, expected):
    assert reply_trim(text) == expected


def test_a_forward_keeps_the_forwarded_message():
    parsed = parse_message(fixture("forwarded.eml"))
    assert parsed.reply_text == parsed.text
    assert "harbourdental.co.uk expires on 1 December 2026." in parsed.reply_text


def test_auto_replies_and_bounces_are_recognised():
    auto = parse_message(fixture("auto_reply.eml"))
    assert (auto.is_auto_reply, auto.is_bounce) == (True, False)
    bounce = parse_message(fixture("bounce.eml"))
    assert bounce.is_bounce is True
    assert bounce.attachments == [] or all(a.content_type != "message/delivery-status" for a in bounce.attachments)
    for header in (b"Precedence: bulk", b"X-Autoreply: yes", b"Auto-Submitted: auto-generated"):
        raw = b"From: a@example.com\r\nSubject: x\r\n" + header + b"\r\n\r\nbody\r\n"
        assert parse_message(raw).is_auto_reply, header
    human = b"From: a@example.com\r\nSubject: x\r\nAuto-Submitted: no\r\n\r\nbody\r\n"
    assert parse_message(human).is_auto_reply is False
    postmaster = b"From: postmaster@example.com\r\nSubject: x\r\n\r\nbody\r\n"
    assert parse_message(postmaster).is_bounce is True


def test_html_to_text_never_lets_markup_through():
    assert html_to_text("<p>a &lt;script&gt; b</p><img src=x onerror=alert(1)>") == "a <script> b"


def test_garbage_headers_and_bodies_never_raise():
    raw = (b"From: =?bogus-charset?Q?=FF?= <\xff@\xfe>\r\nSubject: =?utf-8?B?!!!notbase64?=\r\n"
           b"Date: not a date\r\nIn-Reply-To: garbage\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all\r\n")
    parsed = parse_message(raw)
    assert parsed.sent_at is None and parsed.in_reply_to == [] and parsed.message_id.startswith("<sha256-")
