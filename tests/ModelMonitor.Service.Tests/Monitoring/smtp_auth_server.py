"""An SMTP server that requires AUTH (LOGIN or PLAIN) over a plain connection, for tests only.

Usage: smtp_auth_server.py PORT MAILDIR USER PASSWORD
Accepted messages go to MAILDIR (Maildir layout); each login attempt is printed as
"auth ok USER" or "auth failed USER".
"""
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

port, maildir, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword):
        name = auth_data.login.decode()
        ok = name == user and auth_data.password.decode() == password
        print(f"auth {'ok' if ok else 'failed'} {name}", flush=True)
        return AuthResult(success=ok)
    return AuthResult(success=False, handled=False)


class CaseInsensitiveAuth(SMTP):
    """SASL mechanism names are case-insensitive (RFC 4422); .NET's SmtpClient sends "AUTH login",
    which aiosmtpd 1.4 matches case-sensitively and refuses, so upper-case it first."""

    async def smtp_AUTH(self, arg):
        if arg:
            head, _, rest = arg.partition(" ")
            arg = head.upper() + (" " + rest if rest else "")
        return await super().smtp_AUTH(arg)


class AuthController(Controller):
    def factory(self):
        return CaseInsensitiveAuth(self.handler, **self.SMTP_kwargs)


controller = AuthController(Mailbox(maildir), hostname="127.0.0.1", port=port,
                            authenticator=authenticate, auth_required=True, auth_require_tls=False)
controller.start()
print("listening", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
