"""An SMTP server for tests: aiosmtpd with its Maildir handler, optionally requiring AUTH and
speaking TLS (STARTTLS, required, or implicit TLS from the first byte).

Usage: smtp_server.py PORT MAILDIR [--auth USER PASSWORD] [--starttls CERT KEY] [--implicit-tls CERT KEY]
                      [--stall-data SECONDS]
CERT and KEY are PEM files. --stall-data waits that long after the message data before answering. Accepted messages go to MAILDIR (Maildir layout); each login attempt
is printed as "auth ok USER" or "auth failed USER".
"""
import argparse
import asyncio
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("maildir")
parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--stall-data", type=float, default=0)
args = parser.parse_args()


class StallingMailbox(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(args.stall_data)
        return await super().handle_DATA(server, session, envelope)


def server_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword):
        name = auth_data.login.decode()
        ok = name == args.auth[0] and auth_data.password.decode() == args.auth[1]
        print(f"auth {'ok' if ok else 'failed'} {name}", flush=True)
        # handled=False: aiosmtpd answers a failure with 535 itself (handled=True would leave the client waiting).
        return AuthResult(success=ok, handled=False)
    return AuthResult(success=False, handled=False)


smtp_parameters = {}
if args.auth:
    smtp_parameters.update(authenticator=authenticate, auth_required=True, auth_require_tls=False)
if args.starttls:
    smtp_parameters.update(tls_context=server_context(*args.starttls), require_starttls=True)

controller = Controller((StallingMailbox if args.stall_data else Mailbox)(args.maildir), hostname="127.0.0.1", port=args.port,
                        ssl_context=server_context(*args.implicit_tls) if args.implicit_tls else None,
                        **smtp_parameters)
controller.start()
print("listening", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
