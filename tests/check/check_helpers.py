"""Shared by the check tests (a module name of its own: ``conftest`` names collide across test
directories): Tracecat with the seed's flags, running the CLI with output captured, and reading
and writing manifests, and the ``delivered`` fixture (import it by name: a conftest.py here would
shadow the ``conftest`` other test directories import)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chartsafe.cli import main
from chartsafe.store import create_identity_file

REPO = Path(__file__).resolve().parents[2]
TRACECAT = REPO / "charts" / "tracecat"
DATA = REPO / "tests" / "data" / "check"
#: The seed's install flags (tests/charts/test_tracecat_install.py SEED).
SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=your-db-host.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis-credentials",
]
#: The seed's Redis URL has a host; chartsafe makes its password.
REDIS = "url=url:redis://:{password:32}@your-redis-host.example.com:6379"
#: Every key the seed's Tracecat needs before install: (Secret, key).
REQUIRED = [
    ("tracecat-postgres-credentials", "password"),
    ("tracecat-postgres-credentials", "username"),
    ("tracecat-redis-credentials", "url"),
    ("tracecat-secrets", "dbEncryptionKey"),
    ("tracecat-secrets", "serviceKey"),
    ("tracecat-secrets", "signingSecret"),
    ("tracecat-secrets", "userAuthSecret"),
]


def seed_flags() -> list[str]:
    return [arg for value in SEED for arg in ("--set", value)]


def tracecat(*more: str) -> list[str]:
    """``tracecat charts/tracecat -n tracecat --set (seed)...`` and ``more``."""
    return ["tracecat", str(TRACECAT), "-n", "tracecat", *seed_flags(), *more]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="session", name="delivered_once")
def delivered_once_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tracecat's Secrets as ``secrets init`` + ``secrets render --as secret`` make them (once:
    generating keys is the slow part); tests get a copy."""
    import contextlib
    import io

    root = tmp_path_factory.mktemp("delivered")
    key_file = root / "keys.txt"
    recipient = create_identity_file(key_file)
    store = root / "secrets.sops.yaml"
    folder = root / "gitops"
    folder.mkdir()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):  # fmt: skip
        patch.setenv("HOME", str(root))
        patch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
        code = main(["secrets", "init", *tracecat("--store", str(store)),
                     "--generator", REDIS, "--age", recipient])  # fmt: skip
        assert code == 1  # the database user name is no generator's to invent
        code = main(["secrets", "set", "-n", "tracecat", "tracecat-postgres-credentials",
                     "username", "--from-literal", "tracecat", "--store", str(store)])  # fmt: skip
        assert code == 0
        code = main(["secrets", "render", *tracecat("--store", str(store)),
                     "--as", "secret", "--out", str(folder / "secrets.yaml")])  # fmt: skip
        assert code == 0
    return folder


@pytest.fixture(name="delivered")
def delivered_fixture(delivered_once: Path, tmp_path: Path) -> Path:
    """A directory of this test's own holding Tracecat's rendered Secrets."""
    import shutil

    return Path(shutil.copytree(delivered_once, tmp_path / "gitops"))


def documents(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def write_documents(path: Path, docs: list[dict]) -> None:  # type: ignore[type-arg]
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))


def store_values(folder: Path) -> list[str]:
    """Every generated value in the rendered Secrets, raw and base64: none may be printed.

    The user name (``tracecat``, set in the fixture) is left out: it is also the release name.
    """
    import base64

    found = []
    for doc in documents(folder / "secrets.yaml"):
        for value in (doc.get("data") or {}).values():
            found.append(base64.b64decode(value).decode())
            found.append(value)
        found.extend((doc.get("stringData") or {}).values())
    return [v for v in found if len(v) >= 6 and v != "tracecat"]
