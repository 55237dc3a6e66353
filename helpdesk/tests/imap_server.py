"""A real IMAP server for the mail-in tests: Dovecot (Debian's dovecot-imapd) on a free localhost port, with a
throwaway config, one passwd-file user, plain auth allowed on localhost, and Maildirs in a temporary folder.

Running as root, Dovecot refuses to let a user own mail as UID 0, so the mail user then runs as `dovenull` (created
by the package) and the temporary folder is handed to it; as any other user everything runs as that user."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USERNAME = "support@test1.example"
PASSWORD = "s3cret \"pass\"!"
# A second account whose password is not ASCII: IMAP LOGIN cannot carry it, AUTHENTICATE PLAIN (UTF-8) can.
UNICODE_USERNAME = "accueil@test1.example"
UNICODE_PASSWORD = "mot de passe à £5"


@dataclass
class ImapServer:
    host: str
    port: int
    username: str
    password: str
    root: Path
    process: subprocess.Popen

    def connect(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.username, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX", flags: str = "") -> None:
        client = self.connect()
        try:
            status, data = client.append(folder, flags or None, None, raw)
            assert status == "OK", data
        finally:
            client.logout()

    def reset(self) -> None:
        """Start every test from an empty mailbox whose UIDs begin at 1 again: with no session open, the user's
        Maildir is removed and Dovecot creates a fresh one (new UIDVALIDITY) at the next login."""
        shutil.rmtree(self.root / "mail" / "user", ignore_errors=True)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)


def dovecot_available() -> bool:
    return os.path.exists(DOVECOT)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dovecot_start() -> ImapServer:
    root = Path(tempfile.mkdtemp(prefix="ccs-dovecot-"))
    os.chmod(root, 0o755)
    port = _free_port()
    if os.geteuid() == 0:
        account = pwd.getpwnam("dovenull")
        login_user = internal_user = "dovenull"
    else:
        account = pwd.getpwuid(os.geteuid())
        login_user = internal_user = account.pw_name
    uid, gid = account.pw_uid, account.pw_gid
    mail = root / "mail"
    mail.mkdir()
    (root / "run").mkdir()
    os.chown(mail, uid, gid)
    (root / "passwd").write_text(f"{USERNAME}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{mail}/user\n"
                                 f"{UNICODE_USERNAME}:{{PLAIN}}{UNICODE_PASSWORD}:{uid}:{gid}::{mail}/user2\n",
                                 encoding="utf-8")
    config = root / "dovecot.conf"
    config.write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/run
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {grp.getgrgid(gid).gr_name}
first_valid_uid = {min(uid, 500)}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = .
  mailbox Processed {{
    auto = no
  }}
}}
""")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited: {process.stderr.read().decode()} {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as probe:
                if probe.recv(200).startswith(b"* OK"):
                    break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError("dovecot did not start listening in 10 s")
    return ImapServer(host="127.0.0.1", port=port, username=USERNAME, password=PASSWORD, root=root, process=process)
