"""``up --out``: the bundle's files read back, with Helm's own parser, as the strings they hold.

Go's YAML (Helm, kubectl, the API server) reads a plain ``1e3``, ``0o17`` or ``y`` as a number
or a boolean; PyYAML writes those plain. The chart (tests/data/up/bundle-quote) quotes such
strings in a Deployment that reads a delivered Secret named ``1e3`` (so chartsafe changes it:
the rollout digest), a ConfigMap and a Secret it leaves alone. Every file of the bundle that
is applied or given to Helm must read back the same; what chartsafe did not change is written
as Helm rendered it, comments included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_up_cli import run
from up_helpers import DATA, Keys

from chartsafe import RenderOptions, render_chart
from chartsafe._helm_parse import values_from_yaml
from chartsafe._rendered import split_documents
from chartsafe._rollout import DIGEST_ANNOTATION

CHART = DATA / "bundle-quote"
CONTAINER = ("spec", "template", "spec", "containers", 0)


def _bundle(tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "bundle"
    store = keys.store_flags(tmp_path / "s.sops.yaml")
    code, _, err = run(capsys, "up", "r", str(CHART), "-n", "apps", *store, "--out", str(out))
    assert code == 0, err
    return out


def _documents(path: Path) -> dict[str, Any]:
    """Each document of ``path`` as Helm reads it, by ``Kind/name`` (the lone one by "")."""
    found: dict[str, Any] = {}
    for document in split_documents(path.read_text(encoding="utf-8")):
        body = values_from_yaml(document)
        ref = f"{body['kind']}/{body['metadata']['name']}" if "kind" in body else ""
        found[ref] = body
    return found


@pytest.mark.parametrize(
    ("file", "ref", "path", "expected"),
    [
        ("manifests.yaml", "Deployment/app", ("metadata", "annotations", "build"), "1e3"),
        ("manifests.yaml", "Deployment/app", ("metadata", "annotations", "owner"), "café ☃"),
        ("manifests.yaml", "Deployment/app",
         ("spec", "template", "metadata", "labels", "sha"), "5e1234"),
        ("manifests.yaml", "Deployment/app", (*CONTAINER, "env", 0, "value"), "1e3"),
        ("manifests.yaml", "Deployment/app", (*CONTAINER, "env", 1, "value"), "0o17"),
        ("manifests.yaml", "Deployment/app", (*CONTAINER, "env", 2, "value"), "1_000"),
        ("manifests.yaml", "Deployment/app", (*CONTAINER, "env", 3, "value"), "y"),
        ("manifests.yaml", "Deployment/app", (*CONTAINER, "env", 4, "value"), "012"),
        ("manifests.yaml", "Deployment/app",
         (*CONTAINER, "env", 5, "valueFrom", "secretKeyRef", "name"), "1e3"),
        ("manifests.yaml", "Secret/app-token", ("metadata", "annotations", "note"), "1e3"),
        ("manifests.yaml", "ConfigMap/app-config", ("data", "ratio"), "-.5"),
        ("secrets.yaml", "Secret/1e3", ("metadata", "name"), "1e3"),
        ("values-overrides.yaml", "", ("db", "secretName"), "1e3"),
    ],
)  # fmt: skip
def test_bundle_files_read_back_as_strings(
    file: str,
    ref: str,
    path: tuple[str | int, ...],
    expected: str,
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
) -> None:
    node = _documents(_bundle(tmp_path, age_keys, capsys) / file)[ref]
    for key in path:
        node = node[key]
    assert node == expected


def test_objects_chartsafe_leaves_alone_are_written_as_rendered(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = (_bundle(tmp_path, age_keys, capsys) / "manifests.yaml").read_text("utf-8")
    rendered = render_chart(CHART, {"db": {"secretName": "1e3"}}, RenderOptions(validate=False))
    texts = {f"{o.kind}/{o.name}": o.text for o in rendered.objects}
    for ref in ("ConfigMap/app-config", "Secret/app-token"):
        assert texts[ref] in manifests  # the chart's comments, flow style and quotes kept
    assert "# kept: Helm's text of an object chartsafe does not change" in manifests
    # the Deployment carries the rollout digest: re-dumped, so not as rendered
    assert texts["Deployment/app"] not in manifests
    deployment = _documents(tmp_path / "bundle" / "manifests.yaml")["Deployment/app"]
    assert DIGEST_ANNOTATION in deployment["spec"]["template"]["metadata"]["annotations"]
