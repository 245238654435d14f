"""A real OCI registry on loopback for tests: Debian's ``docker-registry`` (distribution 2.8).

Each registry gets its own config and storage in a temporary directory and listens on
127.0.0.1 over plain HTTP, either anonymous or behind htpasswd (user ``USER``, password
``PASSWORD``, bcrypt hash in ``tests/data/oci/registry.htpasswd``). Importable from any
test directory as ``oci.registry_server`` (``tests/`` is on ``sys.path``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loopback import free_port, listens

REGISTRY = shutil.which("docker-registry") or "/usr/bin/docker-registry"
HTPASSWD = Path(__file__).resolve().parents[1] / "data" / "oci" / "registry.htpasswd"
USER, PASSWORD = "tester", "chartsafe-test"  # bcrypt hash in registry.htpasswd
AVAILABLE = Path(REGISTRY).exists()


@dataclass
class Registry:
    host: str  # 127.0.0.1:PORT
    auth: bool
    root: Path

    @property
    def url(self) -> str:
        return f"oci://{self.host}"


def _wait_ready(
    url: str, proc: subprocess.Popen[bytes], ca: Path | None = None, timeout: float = 10.0
) -> bool:
    """True once something answers at ``url``; False when ``proc`` exits first."""
    deadline = time.monotonic() + timeout
    context = None
    if ca is not None:
        import ssl

        url = url.replace("http://", "https://", 1)
        context = ssl.create_default_context(cafile=str(ca))
    while True:
        try:
            urllib.request.urlopen(url, timeout=1, context=context).close()
            return True
        except urllib.error.HTTPError:  # 401 behind htpasswd: up
            return True
        except OSError:
            if proc.poll() is not None:
                return False
            if time.monotonic() > deadline:
                raise RuntimeError(f"docker-registry did not start on {url}") from None
            time.sleep(0.05)


def _private_ca_certificate(root: Path) -> tuple[Path, Path]:
    """A CA (``root/ca.pem``) and the certificate and key it signed for 127.0.0.1, made by
    chartsafe's own ``tls-cert`` generator."""
    from chartsafe.generate._registry import Context
    from chartsafe.generate.tls import tls_cert

    context = Context(namespace="oci", secret="registry", key="tls.crt", put=lambda *kept: None)
    made = tls_cert("ip=127.0.0.1", context)
    for name, part in (("ca.pem", "ca"), ("server.pem", "cert"), ("server.key", "key")):
        (root / name).write_text(made[part])
    return root / "server.pem", root / "server.key"


def start_registry(root: Path, *, auth: bool, tls: bool = False) -> Iterator[Registry]:
    """Run a registry under ``root`` for as long as the generator is open; with ``tls``,
    behind a certificate for 127.0.0.1 that a private CA signed (``root/ca.pem``)."""
    root.mkdir(parents=True)
    http: dict[str, object] = {"secret": "chartsafe-tests"}
    if tls:
        certificate, key = _private_ca_certificate(root)
        http["tls"] = {"certificate": str(certificate), "key": str(key)}
    config: dict[str, object] = {
        "version": 0.1,
        "log": {"level": "error", "accesslog": {"disabled": True}},
        "storage": {"filesystem": {"rootdirectory": str(root / "data")}},
        "http": http,
    }
    if auth:
        config["auth"] = {"htpasswd": {"realm": "chartsafe", "path": str(HTPASSWD)}}
    for _ in range(5):  # a port another test process took first: the next one
        port = free_port()
        http["addr"] = f"127.0.0.1:{port}"
        (root / "config.yml").write_text(json.dumps(config))  # JSON is YAML
        with (root / "registry.log").open("wb") as log:
            proc = subprocess.Popen(
                [REGISTRY, "serve", str(root / "config.yml")], stdout=log, stderr=subprocess.STDOUT
            )
        url = f"http://127.0.0.1:{port}/v2/"
        if _wait_ready(url, proc, root / "ca.pem" if tls else None) and listens(proc.pid, port):
            break
        proc.terminate()
        proc.wait(timeout=10)
    else:
        raise RuntimeError(f"docker-registry found no free port; see {root / 'registry.log'}")
    try:
        yield Registry(f"127.0.0.1:{port}", auth, root)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
