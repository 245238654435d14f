"""An error whose message chartsafe masked does not keep the unmasked one in its chain.

``raise X(masked) from None`` inside the ``except`` block only hides the SDK's error from the
standard traceback printer: it stays in ``X.__context__``, with the secret Helm quoted, for
error reporters, ``pickle`` and code that logs ``e.__context__``. Each row makes Helm's
engine fail on a secret and walks the whole chain of what chartsafe raises.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chartsafe._errors import ChartsafeError
from chartsafe._helm import HelmChart
from chartsafe._helm_parse import parse_set
from chartsafe._helm_release import ClusterTarget, HelmReleases
from chartsafe._helm_repo import Repository, pull_from_repository
from chartsafe._refs import SecretValues, UserValues
from chartsafe._values import load_values_file

CHART = Path(__file__).resolve().parents[1] / "data" / "leaks" / "chart"
SECRET = "PWLEAK-hunter2-ctx-9a7c"


def _secret_values(key: str, inner: str | None = None) -> UserValues:
    value = {inner: SECRET} if inner else SECRET
    path = (key, inner) if inner else (key,)
    return UserValues({key: value}, SecretValues([path], [SECRET]))


def _render(values: UserValues, kube_version: str | None = None) -> None:
    chart = HelmChart(CHART)
    try:
        chart.render(values, release_name="r", namespace="d", kube_version=kube_version)
    finally:
        chart.close()


def _release_action(tmp: Path) -> None:
    """Helm's install action (not chartsafe's render first) fails on the secret."""
    target = ClusterTarget(namespace="d", storage="memory")
    with HelmReleases(target, secrets=[SECRET]) as releases:
        releases.install(CHART, "r", {"boom": SECRET}, dry_run="client")


def _values_file(tmp: Path) -> None:
    path = tmp / "values.yaml"
    path.write_text(f"replicas: !!int {SECRET}\n")
    load_values_file(path)


# (id, what raises; the masked message must still say)
CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("template fail", lambda tmp: _render(_secret_values("boom")), "bad value <masked>"),
    ("values schema", lambda tmp: _render(_secret_values("auth", "password")),
     "does not match pattern"),
    ("--kube-version", lambda tmp: _render(_secret_values("boom"), kube_version="banana"),
     "--kube-version banana"),
    ("--set", lambda tmp: parse_set("--set", f"password=a,{SECRET}"), "--set password=..."),
    ("values file", _values_file, "cannot decode"),
    ("release action", _release_action, "bad value <masked>"),
]  # fmt: skip


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


@pytest.mark.parametrize(("make", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_no_unmasked_error_in_the_chain(
    make: Callable[[Path], None], says: str, tmp_path: Path
) -> None:
    with pytest.raises(ChartsafeError) as caught:
        make(tmp_path)
    error = caught.value
    assert says in str(error)
    assert error.__context__ is None and error.__cause__ is None
    for linked in _chain(error):
        assert SECRET not in str(linked)
        assert all(SECRET not in str(arg) for arg in linked.args)


def test_a_repository_password_is_not_in_the_chain(tmp_path: Path, refused_port: int) -> None:
    """Go's HTTP client quotes the URL it failed on, user info and all."""
    url = f"http://ci:{SECRET}@127.0.0.1:{refused_port}"
    with pytest.raises(ChartsafeError) as caught:
        pull_from_repository("sub", Repository(url), tmp_path)
    error = caught.value
    assert f"http://ci:***@127.0.0.1:{refused_port}/index.yaml" in str(error)
    assert error.__context__ is None and error.__cause__ is None
    assert SECRET not in str(error)
