"""TLS for the tests' fake API servers: a CA and a server certificate for ``kube.test``.

The certificate names ``kube.test`` only, not 127.0.0.1 where the fakes listen, so a
client succeeds only when told the name (``--kube-tls-server-name``) and the CA. Both are
made by chartsafe's own ``tls-cert`` generator, as on a store's first use.
"""

from __future__ import annotations

import ssl
from pathlib import Path

#: The one name the server certificate is for.
SERVER_NAME = "kube.test"


def server_context(folder: Path) -> ssl.SSLContext:
    """A server-side TLS context; ``folder/ca.pem`` is the CA that signed its certificate."""
    from chartsafe.generate._registry import Context
    from chartsafe.generate.tls import tls_cert

    context = Context(namespace="tls", secret="api", key="tls.crt", put=lambda *kept: None)
    made = tls_cert(f"dns={SERVER_NAME}", context)
    for name, part in (("ca.pem", "ca"), ("server.pem", "cert"), ("server.key", "key")):
        (folder / name).write_text(made[part])
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(folder / "server.pem", folder / "server.key")
    return tls
