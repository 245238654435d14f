"""Bad input around oci:// charts and registries: one line naming the reference or flag, exit 2.

One htpasswd registry on loopback holds agentapi-proxy 0.1.0. Placeholders in the rows:
{host} that registry, {dead} a loopback port nothing listens on, {creds} a credentials file
logged in to {host}, {none} an empty one, {bad} one holding a wrong password, {broken} one
that is not JSON, {tgz} the packaged chart. No row's password may appear in what chartsafe
prints.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from oci.registry_server import AVAILABLE, PASSWORD, USER, Registry, start_registry

from chartsafe._helm_oci import RegistryAccess, package_chart, push_chart, registry_login
from chartsafe.cli import main

pytestmark = pytest.mark.skipif(not AVAILABLE, reason="Debian's docker-registry is not installed")

REPO = Path(__file__).resolve().parents[2]
CHART = str(REPO / "charts" / "agentapi-proxy")
MINIMAL = str(REPO / "tests" / "data" / "minimal")
WRONG = "not-the-password-7731"
REF = "oci://{host}/charts/agentapi-proxy"
PULL = ["--plain-http", "--registry-config", "{creds}"]
DRY = ["--dry-run", "client", "--storage", "memory"]

# (id, args, stdin, words the one line must contain); every row exits 2.
CASES: list[tuple[str, list[str], str, list[str]]] = [
    ("registry not listening", ["template", "oci://{dead}/charts/agentapi-proxy", "--version",
     "0.1.0", *PULL], "", ["oci://{dead}/charts/agentapi-proxy --version 0.1.0",
                           "not reachable", "connection refused"]),
    ("missing tag", ["template", REF, "--version", "9.9.9", *PULL], "",
     [f"{REF} --version 9.9.9", "no such chart or version", "not found"]),
    ("missing chart", ["template", "oci://{host}/charts/nothing", "--version", "0.1.0", *PULL], "",
     ["oci://{host}/charts/nothing --version 0.1.0", "not found"]),
    ("no version in range", ["template", REF, "--version", "^5.0", *PULL], "",
     [f"{REF} --version ^5.0", "no version matches"]),
    ("no credentials", ["template", REF, "--version", "0.1.0", "--plain-http",
     "--registry-config", "{none}"], "", [REF, "needs credentials", "registry login"]),
    ("wrong stored credentials", ["template", REF, "--version", "0.1.0", "--plain-http",
     "--registry-config", "{bad}"], "", [REF, "credentials refused", "401"]),
    ("https to a plain-http registry", ["template", REF, "--version", "0.1.0",
     "--registry-config", "{creds}"], "", [REF, "--plain-http"]),
    ("install: missing tag", ["install", "ap", REF, "--version", "9.9.9", *PULL, *DRY], "",
     [f"{REF} --version 9.9.9", "not found"]),
    ("upgrade: registry not listening", ["upgrade", "--install", "ap",
     "oci://{dead}/c/agentapi-proxy", "--plain-http", *DRY], "",
     ["oci://{dead}/c/agentapi-proxy", "not reachable"]),
    ("lint: no credentials", ["lint", REF, "--plain-http", "--registry-config", "{none}"], "",
     [REF, "needs credentials"]),
    ("contract: missing tag", ["contract", REF, "--version", "2.0.0", *PULL], "",
     [f"{REF} --version 2.0.0", "not found"]),
    ("diff: registry not listening", ["diff", "upgrade", "ap", "oci://{dead}/c/x", "--version",
     "1.0.0", "--plain-http", "--storage", "memory"], "", ["oci://{dead}/c/x", "not reachable"]),
    ("--version with a local chart", ["template", MINIMAL, "--version", "1.0.0"], "",
     ["--version 1.0.0", "local chart", "oci://"]),
    ("push: not an oci:// remote", ["push", "{tgz}", "{host}/charts", "--plain-http"], "",
     ["'{host}/charts'", "not an oci:// reference"]),
    ("push: a directory", ["push", CHART, "oci://{host}/charts", "--plain-http"], "",
     [CHART, "not a directory", "chartsafe package"]),
    ("push: archive missing", ["push", "/no/chart.tgz", "oci://{host}/charts"], "",
     ["/no/chart.tgz", "no such file", "packaged .tgz", "chartsafe package"]),
    ("push: no credentials", ["push", "{tgz}", "oci://{host}/charts", "--plain-http",
     "--registry-config", "{none}"], "", ["oci://{host}/charts/agentapi-proxy:0.1.0",
                                          "needs credentials"]),
    ("push: registry not listening", ["push", "{tgz}", "oci://{dead}/charts", "--plain-http"], "",
     ["oci://{dead}/charts/agentapi-proxy:0.1.0", "not reachable"]),
    ("package: not a chart", ["package", MINIMAL + "/templates", "-d", "{tmp}"], "",
     ["templates", "Chart.yaml"]),
    ("package: an archive", ["package", "{tgz}", "-d", "{tmp}"], "",
     ["agentapi-proxy-0.1.0.tgz", "not a chart directory"]),
    ("package: --version not semver", ["package", CHART, "-d", "{tmp}", "--version", "banana"], "",
     ["--version banana", "semantic version"]),
    ("login: wrong password", ["registry", "login", "{host}", "-u", USER, "--password-stdin",
     "--plain-http", "--registry-config", "{tmp}/c.json"], WRONG + "\n",
     ["{host}", "credentials refused", "401"]),
    ("login: registry not listening", ["registry", "login", "{dead}", "-u", USER,
     "--password-stdin", "--plain-http", "--registry-config", "{tmp}/c.json"], WRONG,
     ["{dead}", "not reachable"]),
    ("login: two password sources", ["registry", "login", "{host}", "-u", USER, "-p", WRONG,
     "--password-stdin"], WRONG, ["--password and --password-stdin"]),
    ("login: empty password", ["registry", "login", "{host}", "-u", USER, "--password-stdin"],
     "\n", ["empty password", "--password-stdin"]),
    ("login: no password, no terminal", ["registry", "login", "{host}", "-u", USER], "",
     ["registry login {host}", "no password", "--password-stdin"]),
    ("login: no username", ["registry", "login", "{host}", "--password-stdin"], WRONG,
     ["no username", "-u USER"]),
    ("login: a path, not a host", ["registry", "login", "{host}/charts", "-u", USER,
     "--password-stdin"], WRONG, ["'{host}/charts'", "HOST:PORT"]),
    ("logout: a path, not a host", ["registry", "logout", "oci://{host}/charts"], "",
     ["'oci://{host}/charts'", "HOST:PORT"]),
    ("logout: not logged in", ["registry", "logout", "nosuchhost.example", "--registry-config",
     "{none}"], "", ["registry logout nosuchhost.example", "not logged in", "{none}"]),
    ("logout: no credentials file", ["registry", "logout", "{host}", "--registry-config",
     "{tmp}/missing.json"], "", ["registry logout {host}", "not logged in"]),
    *[(f"{args[0]}: malformed credentials file", [*args, "--registry-config", "{broken}"], stdin,
       ["registry credentials file {broken} (--registry-config)", "invalid config format",
        "registry login"])
      for args, stdin in [
          (["push", "{tgz}", "oci://{host}/charts", "--plain-http"], ""),
          (["template", REF, "--version", "0.1.0", "--plain-http"], ""),
          (["lint", REF, "--plain-http"], ""),
          (["install", "ap", REF, "--version", "0.1.0", "--plain-http", *DRY], ""),
          (["registry", "login", "{host}", "-u", USER, "--password-stdin", "--plain-http"],
           WRONG),
          (["registry", "logout", "{host}"], ""),
      ]],
]  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, refused_port: int) -> Iterator[dict[str, str]]:
    """The registry with the chart pushed, and the credentials files the rows name."""
    root = tmp_path_factory.mktemp("bad-input-oci")
    for registry in start_registry(root / "registry", auth=True):
        yield _prepare(registry, root, refused_port)


def _prepare(registry: Registry, root: Path, refused_port: int) -> dict[str, str]:
    creds, none, bad = root / "creds.json", root / "none.json", root / "bad.json"
    broken = root / "broken.json"
    broken.write_text("{bad")
    access = RegistryAccess(plain_http=True, registry_config=creds)
    registry_login(registry.host, USER, PASSWORD, access)
    tgz = package_chart(Path(CHART), root / "dist")
    push_chart(tgz, f"{registry.url}/charts", access)
    none.write_text('{"auths": {}}')
    token = base64.b64encode(f"{USER}:{WRONG}".encode()).decode()
    bad.write_text(json.dumps({"auths": {registry.host: {"auth": token}}}))
    return {
        "host": registry.host,
        "dead": f"127.0.0.1:{refused_port}",
        "creds": str(creds),
        "none": str(none),
        "bad": str(bad),
        "broken": str(broken),
        "tgz": str(tgz),
    }


@pytest.mark.parametrize(
    ("args", "stdin", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line(
    world: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    stdin: str,
    words: list[str],
) -> None:
    fill = {**world, "tmp": str(tmp_path)}
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main([a.format(**fill) for a in args]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip() and "warning" not in line]
    assert len(lines) == 1, err
    for word in words:
        assert word.format(**fill) in lines[0], lines[0]
    assert WRONG not in out + err
    assert PASSWORD not in out + err


# (variable set, its value and the credentials file, both under tmp, what the message names)
LOOKUP = [
    ("HELM_REGISTRY_CONFIG", "c.json", "c.json", "$HELM_REGISTRY_CONFIG"),
    ("HELM_CONFIG_HOME", "helm", "helm/registry/config.json", "$HELM_CONFIG_HOME"),
    ("XDG_CONFIG_HOME", "xdg", "xdg/helm/registry/config.json", "Helm's default location"),
]


@pytest.mark.parametrize(
    ("variable", "value", "file", "origin"), LOOKUP, ids=[c[0] for c in LOOKUP]
)
def test_malformed_credentials_file_found_by_helms_lookup(
    world: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    file: str,
    origin: str,
) -> None:
    """Without --registry-config the file is where Helm looks; the line says which it was."""
    monkeypatch.delenv("HELM_REGISTRY_CONFIG", raising=False)
    monkeypatch.delenv("HELM_CONFIG_HOME", raising=False)
    monkeypatch.setenv(variable, str(tmp_path / value))
    path = tmp_path / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{bad")
    code = main(["template", REF.format(**world), "--version", "0.1.0", "--plain-http"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and "internal error" not in err
    assert f"registry credentials file {path} ({origin}): invalid config format" in err
