"""Every path the library takes may be a ``str`` (or any ``os.PathLike[str]``), as with httpx.

Each case calls one function of the front door twice, once with ``Path`` arguments and once
with the same paths as ``str``, each in a folder of its own, and the two results must be
equal once that folder is written ``ROOT``. The results are compared by ``repr``, so a
``str`` that leaked through where a ``Path`` is returned fails too. And ``py.typed`` ships
in the package, so type checkers read these annotations in a caller's code.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from oci.registry_server import AVAILABLE, Registry, start_registry

import chartsafe as cs
from chartsafe.store import create_identity_file

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
CHART = REPO / "charts" / "agentapi-proxy"
KEYS = DATA / "provenance"
SIGNER, LOCKED = "signer@chartsafe.test", "locked@chartsafe.test"
PASSPHRASE = "chartsafe-test-passphrase"
KUBECONFIG = """apiVersion: v1
kind: Config
current-context: c
contexts: [{name: c, context: {cluster: k, namespace: from-kubeconfig}}]
clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]
"""
APP = """apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: app:1
      env: [{name: DB, valueFrom: {secretKeyRef: {name: app-db, key: password}}}]
"""

#: ``Path`` or ``str``: how a case hands its paths to the library.
As = Callable[[Path], Any]


@dataclass
class Given:
    """What every case may use: its own folder, shared read-only inputs, the environment."""

    root: Path
    archive: Path  # CHART packaged and signed by SIGNER (read-only)
    monkeypatch: pytest.MonkeyPatch

    def copy_archive(self) -> Path:
        folder = self.root / "charts"
        folder.mkdir(exist_ok=True)
        return Path(shutil.copy(self.archive, folder))

    def in_a_pod(self) -> Path:
        """A service account folder, with the variables that make it the pod's."""
        account = self.root / "serviceaccount"
        account.mkdir()
        (account / "token").write_text("a-token\n")
        (account / "namespace").write_text("from-pod\n")
        self.monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
        self.monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
        return account

    def kubeconfig(self) -> Path:
        path = self.root / "kubeconfig"
        path.write_text(KUBECONFIG)
        return path

    def age_key(self) -> tuple[Path, str]:
        path = self.root / "age.txt"
        return path, create_identity_file(path)

    def encrypted(self) -> tuple[Path, Path]:
        """An encrypted file and the age key that opens it."""
        key, recipient = self.age_key()
        plain = self.root / "plain.yaml"
        plain.write_text("password: hunter2\n")
        encrypted = self.root / "secret.enc.yaml"
        encrypted.write_text(cs.sops_encrypt(plain, recipients=recipient))
        return encrypted, key


def _audit_files(given: Given, as_: As) -> object:
    folder = DATA / "audit"
    audited = [folder / "placeholder-values.yaml", folder / "placeholders-in-env.yaml"]
    return cs.audit_files([as_(path) for path in audited], profile="production")


def _context_namespace_kubeconfig(given: Given, as_: As) -> object:
    return cs.context_namespace(as_(given.kubeconfig()))


def _context_namespace_service_account(given: Given, as_: As) -> object:
    return cs.context_namespace(service_account_dir=as_(given.in_a_pod()))


def _load_cluster_config_service_account(given: Given, as_: As) -> object:
    return cs.load_cluster_config(service_account_dir=as_(given.in_a_pod()))


def _load_cluster_config_kubeconfig(given: Given, as_: As) -> object:
    access = cs.ClusterAccess(kubeconfig=as_(given.kubeconfig()))
    return access, cs.load_cluster_config(access)


def _crd_schemas_add_dir(given: Given, as_: As) -> object:
    schemas = cs.CrdSchemas()
    schemas.add_dir(as_(DATA / "crd-files" / "crds"))
    return schemas.has_dirs, schemas.validator("example.com/v1", "Square") is not None


def _manifest_source(given: Given, as_: As) -> object:
    source = cs.ManifestSource(as_(DATA / "check" / "deployed"))
    return source.path, source.find(["default"])


def _index_repository(given: Given, as_: As) -> object:
    folder = given.copy_archive().parent
    made = cs.index_repository(as_(folder), url="https://charts.example.com")
    merged = cs.index_repository(as_(folder), merge=as_(made.path))
    return made, merged


def _package_chart(given: Given, as_: As) -> object:
    return cs.package_chart(as_(CHART), as_(given.root / "dist"))


def _sign_chart(given: Given, as_: As) -> object:
    return cs.sign_chart(as_(given.copy_archive()), SIGNER, as_(KEYS / "signer-secring.gpg"))


def _sign_chart_passphrase_file(given: Given, as_: As) -> object:
    passphrase = given.root / "passphrase"
    passphrase.write_text(PASSPHRASE + "\n")
    archive = given.copy_archive()
    ring = KEYS / "locked-secring.gpg"
    return cs.sign_chart(archive, LOCKED, ring, passphrase_file=as_(passphrase))


def _verify_chart(given: Given, as_: As) -> object:
    archive, ring = given.archive, KEYS / "pubring.gpg"
    prov = Path(f"{archive}.prov")
    return cs.verify_chart(as_(archive), as_(ring), provenance_file=as_(prov))


def _open_chart_verified(given: Given, as_: As) -> object:
    source = cs.ChartSource(given.archive, verify=True, keyring=as_(KEYS / "pubring.gpg"))
    with cs.open_chart(source) as opened:
        return opened


def _sops_encrypt(given: Given, as_: As) -> object:
    key, recipient = given.age_key()
    (given.root / ".sops.yaml").write_text(f"creation_rules:\n  - age: {recipient}\n")
    plain = given.root / "plain.yaml"
    plain.write_text("password: hunter2\n")
    encrypted = given.root / "secret.enc.yaml"
    encrypted.write_text(cs.sops_encrypt(as_(plain), config=as_(given.root / ".sops.yaml")))
    return cs.sops_decrypt(encrypted, key_file=key)  # the encryption itself is random


def _sops_decrypt(given: Given, as_: As) -> object:
    encrypted, key = given.encrypted()
    return cs.sops_decrypt(as_(encrypted), key_file=as_(key))


def _sops_edit(given: Given, as_: As) -> object:
    encrypted, key = given.encrypted()
    return cs.sops_edit(as_(encrypted), editor="true", key_file=as_(key))


def _write_bundle(given: Given, as_: As) -> object:
    return cs.write_bundle(
        as_(given.root / "bundle"),
        plan="plan",
        delivered=[],
        objects=[],
        overrides={},
        contract_md="contract",
    )


def _up(given: Given, as_: As) -> object:
    chart = given.root / "app"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\n")
    (chart / "templates" / "app.yaml").write_text(APP)
    key, recipient = given.age_key()
    request = cs.UpRequest(
        name="r",
        chart=chart,
        values=cs.ValuesInput(),
        store=as_(given.root / "store.sops.yaml"),
        out=as_(given.root / "bundle"),
        recipients=[recipient],
        age_key_file=key,
    )
    result = cs.up(request)
    return request.store, request.out, result.added, result.bundle


def _registry_credentials_file(given: Given, as_: As) -> object:
    return cs.RegistryAccess(registry_config=as_(given.root / "config.json")).credentials_file


CASES: dict[str, Callable[[Given, As], object]] = {
    "audit_files": _audit_files,
    "context_namespace(kubeconfig)": _context_namespace_kubeconfig,
    "context_namespace(service_account_dir)": _context_namespace_service_account,
    "load_cluster_config(service_account_dir)": _load_cluster_config_service_account,
    "ClusterAccess(kubeconfig)": _load_cluster_config_kubeconfig,
    "CrdSchemas.add_dir": _crd_schemas_add_dir,
    "ManifestSource": _manifest_source,
    "index_repository": _index_repository,
    "package_chart": _package_chart,
    "sign_chart": _sign_chart,
    "sign_chart(passphrase_file)": _sign_chart_passphrase_file,
    "verify_chart": _verify_chart,
    "ChartSource(keyring)": _open_chart_verified,
    "sops_encrypt": _sops_encrypt,
    "sops_decrypt": _sops_decrypt,
    "sops_edit": _sops_edit,
    "write_bundle": _write_bundle,
    "UpRequest(store, out)": _up,
    "RegistryAccess(registry_config)": _registry_credentials_file,
}


@pytest.fixture(scope="module")
def signed_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = cs.package_chart(CHART, tmp_path_factory.mktemp("signed"))
    cs.sign_chart(archive, SIGNER, KEYS / "signer-secring.gpg")
    return archive


def _shown(result: object, root: Path) -> str:
    """The result's repr with its folder written ``ROOT``: a ``str`` where a ``Path`` was
    returned shows as ``'...'`` instead of ``PosixPath('...')``."""
    return repr(result).replace(str(root), "ROOT")


@pytest.mark.parametrize("call", CASES.values(), ids=CASES.keys())
def test_a_str_path_does_what_a_path_does(
    call: Callable[[Given, As], object],
    tmp_path: Path,
    signed_archive: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    results = []
    for as_ in (Path, str):
        root = tmp_path / as_.__name__
        root.mkdir()
        results.append(_shown(call(Given(root, signed_archive, monkeypatch), as_), root))
    with_paths, with_strs = results
    assert with_strs == with_paths


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    if not AVAILABLE:
        pytest.skip("Debian's docker-registry is not installed (.ci/run installs it)")
    yield from start_registry(tmp_path_factory.mktemp("registry") / "r", auth=False)


@pytest.fixture(autouse=True)
def _no_helm_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HELM_REGISTRY_CONFIG", "HELM_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)


def test_push_and_pull_take_str_paths(
    registry: Registry, signed_archive: Path, tmp_path: Path
) -> None:
    access = cs.RegistryAccess(plain_http=True, registry_config=tmp_path / "config.json")
    results = []
    for as_ in (Path, str):
        root = tmp_path / as_.__name__
        root.mkdir()
        remote = f"{registry.url}/{as_.__name__.lower()}"  # a repository name is lower case
        pushed = cs.push_chart(as_(signed_archive), remote, access)
        pulled = cs.pull_chart(f"{remote}/agentapi-proxy", as_(root), access=access)
        shown = repr((pushed.digest, pushed.provenance, pulled)).replace(str(root), "ROOT")
        results.append((shown, pulled.read_bytes() == signed_archive.read_bytes()))
    assert results[1] == results[0]
    assert results[0][1]  # the archive pushed came back


def test_py_typed_ships_in_the_package() -> None:
    """PEP 561: without the marker a type checker reads nothing of chartsafe's annotations."""
    marker = files("chartsafe") / "py.typed"
    assert marker.is_file()
    assert marker.read_text() == ""
