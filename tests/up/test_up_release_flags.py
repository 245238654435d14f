"""``up`` takes the release flags of ``upgrade --install``: each reaches the release settings
or the render, and the render flags change what a bundle holds (Helm's engine renders it)."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from chart_files import DNS_LOOKUP, write_chart
from test_up_cli import run
from up_helpers import Keys

from chartsafe import _up
from chartsafe._errors import InputError
from chartsafe._up_model import UpRequest

SCHEMA = {"type": "object", "properties": {"replicas": {"type": "integer"}}}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    made = write_chart(tmp_path / "lookup", {"cm.yaml": DNS_LOOKUP}, values="replicas: 1\n")
    (made / "values.schema.json").write_text(json.dumps(SCHEMA))
    return made


def _args(chart: Path, tmp_path: Path, keys: Keys, *more: str) -> list[str]:
    return ["up", "r", str(chart), "-n", "apps", "--store", str(tmp_path / "s.sops.yaml"),
            "--age", keys.recipient, "--age-key-file", str(keys.key_file), *more]  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "field", "expected"),
    [
        (["--server-side", "false"], "server_side", "false"),
        (["--server-side"], "server_side", "true"),  # alone: true, as in Helm
        (["--server-side=auto"], "server_side", "auto"),
        (["--force-conflicts"], "force_conflicts", True),
        (["--wait", "--wait-for-jobs"], "wait_for_jobs", True),
        (["--history-max", "3"], "max_history", 3),
        ([], "max_history", 10),  # helm's CLI default: older records are deleted
        (["--cleanup-on-fail"], "cleanup_on_fail", True),
        (["--take-ownership"], "take_ownership", True),
        (["--labels", "team=pay,tier=web"], "labels", {"team": "pay", "tier": "web"}),
        (["--description", "from up"], "description", "from up"),
        (["--rollback-on-failure"], "atomic", True),
        ([], "server_side", None),
    ],
)  # fmt: skip
def test_each_release_flag_reaches_the_settings(
    flags: list[str],
    field: str,
    expected: Any,
    chart: Path,
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[UpRequest] = []

    def record(request: UpRequest, **_: Any) -> None:
        seen.append(request)
        raise InputError("stopped by the test once the request was made")

    monkeypatch.setattr(_up, "up", record)
    code, _, err = run(capsys, *_args(chart, tmp_path, age_keys, *flags))
    assert code == 2 and "stopped by the test" in err
    assert getattr(seen[0].settings, field) == expected


def _host(bundle: Path) -> str:
    (doc,) = yaml.safe_load_all((bundle / "manifests.yaml").read_text())
    return str(doc["data"]["host"])


@pytest.mark.parametrize("dns", [False, True], ids=["no dns", "--enable-dns"])
def test_enable_dns_reaches_the_render(
    dns: bool, chart: Path, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle"
    flags = ["--out", str(bundle), *(["--enable-dns"] if dns else [])]
    code, _, err = run(capsys, *_args(chart, tmp_path, age_keys, *flags))
    assert code == 0, err
    host = _host(bundle)
    if dns:
        assert ipaddress.ip_address(host).is_loopback
    else:
        assert host == ""


def test_skip_schema_validation_lets_values_the_schema_refuses_through(
    chart: Path, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle"
    bad = ["--set", "replicas=many", "--out", str(bundle)]
    code, _, err = run(capsys, *_args(chart, tmp_path, age_keys, *bad))
    assert code == 1 and "replicas" in err, err
    assert not bundle.exists()
    code, _, err = run(capsys, *_args(chart, tmp_path, age_keys, *bad, "--skip-schema-validation"))
    assert code == 0, err
    assert (bundle / "manifests.yaml").is_file()


@pytest.mark.parametrize(("flags", "expected"), [([], "ctx-ns"), (["-n", "given"], "given")])
def test_the_namespace_is_the_kubeconfig_contexts_unless_given(
    flags: list[str],
    expected: str,
    chart: Path,
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As helm (and chartsafe install/upgrade): without -n, the current context's namespace."""
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "c",
        "clusters": [{"name": "k", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "u", "user": {"token": "t"}}],
        "contexts": [{"name": "c", "context": {"cluster": "k", "user": "u",
                                               "namespace": "ctx-ns"}}],
    }))  # fmt: skip
    args = [a for a in _args(chart, tmp_path, age_keys) if a not in ("-n", "apps")]
    more = ["--kubeconfig", str(kubeconfig), "--out", str(tmp_path / "b"), "-o", "json"]
    code, out, err = run(capsys, *args, *flags, *more)
    assert code == 0, err
    assert json.loads(out)["namespace"] == expected
    assert (
        f"helm upgrade --install r CHART -n {expected} " in (tmp_path / "b" / "PLAN.md").read_text()
    )
