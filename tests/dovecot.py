"""A real IMAP server for the tests: Debian's Dovecot, started as a child process with a
configuration of its own in a temporary folder (127.0.0.1 on a free port, plain-text login,
one password for every user, maildirs and the log in the folder). Missing Dovecot fails the
test with what to install: the IMAP path is not to be skipped silently."""

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

import pytest

PASSWORD = "dovecot-test"
CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {mail_user}
first_valid_uid = 0
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    port: int
    root: Path

    def url(self, user: str) -> str:
        return f"imap://{user}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def client(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, PASSWORD)
        return client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _users() -> tuple[str, str, int, int]:
    """Dovecot runs nothing as root: as root, its own users; otherwise the current user."""
    if os.getuid() == 0:
        mail_user, login_user = "dovecot", "dovenull"
    else:
        mail_user = login_user = pwd.getpwuid(os.getuid()).pw_name
    entry = pwd.getpwnam(mail_user)
    return mail_user, login_user, entry.pw_uid, entry.pw_gid


@pytest.fixture(scope="module")
def dovecot():
    binary = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if binary is None:
        pytest.fail("Dovecot is not installed: run scripts/system-deps.sh (dovecot-imapd).")
    # Not under pytest's own folder: it is private to the user (0700), and Dovecot's mail
    # processes run as the dovecot user when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="dovecot-"))
    root.chmod(0o755)
    mail_user, login_user, uid, gid = _users()
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir()
        if os.getuid() == 0:
            os.chown(root / folder, uid, gid)
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            port=port,
            password=PASSWORD,
            uid=uid,
            gid=gid,
            mail_user=mail_user,
            login_user=login_user,
        )  # fmt: skip
    )
    with (root / "stderr").open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [binary, "-F", "-c", str(config)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    server = Dovecot(port=port, root=root)
    try:
        _wait_for(server, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(server: Dovecot, process: subprocess.Popen) -> None:
    for _attempt in range(100):
        if process.poll() is not None:
            log = (server.root / "stderr").read_text() + _log(server)
            pytest.fail(f"Dovecot did not start:\n{log}")
        try:
            server.client("probe").logout()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"Dovecot did not answer on port {server.port}:\n{_log(server)}")


def _log(server: Dovecot) -> str:
    path = server.root / "dovecot.log"
    return path.read_text() if path.exists() else ""
