"""agentapi-proxy as a chart: lint, packaging, documented parameters, declared secrets."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import helm_python
import pytest
import yaml
from chart_render import CHARTS, render
from test_agentapi_config import DATA, EXAMPLES, ROLE_EXAMPLE, projected
from test_agentapi_params import CHART

from chartsafe import ValuesInput, lint_chart

CHART_DIR = CHARTS / CHART
VALUES_FILES = [
    None,
    ROLE_EXAMPLE,
    EXAMPLES / "values-file-persistence.yaml",
    EXAMPLES / "values-s3-irsa.yaml",
    *sorted(DATA.glob("*.yaml")),
]
FORMATS = re.compile(
    r"(hex|base64|base64url):\d+|fernet|password(:\d+)?|url(:[a-z0-9|+]+)?|pem-certificate"
    r"|pem-private-key|ed25519-(private|public)-key|htpasswd|json|dockerconfigjson|text"
)


@pytest.mark.parametrize("values", VALUES_FILES, ids=lambda v: v.name if v else "defaults")
def test_lint_strict_is_clean(values: Path | None) -> None:
    result = lint_chart(CHART_DIR, ValuesInput(files=[values] if values else []), strict=True)
    assert result.errors == []


def test_packaged_chart_renders_like_the_directory(tmp_path: Path) -> None:
    archive = Path(helm_python.package(CHART_DIR, destination=tmp_path))
    assert archive.name == "agentapi-proxy-0.1.0.tgz"
    packaged = render(archive, ROLE_EXAMPLE)
    assert packaged.objects == render(CHART, ROLE_EXAMPLE).objects


def _leaves(values: dict[str, Any], prefix: str = "") -> list[str]:
    paths = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            paths.extend(_leaves(value, f"{path}."))
        else:
            paths.append(path)
    return paths


def _readme_parameters() -> set[str]:
    text = (CHART_DIR / "README.md").read_text()
    return set(re.findall(r"^\| `([A-Za-z][\w.]*)` \|", text, flags=re.MULTILINE))


def _schema_node(schema: dict[str, Any], path: str) -> dict[str, Any] | None:
    node: dict[str, Any] | None = schema
    for part in path.split("."):
        node = (node or {}).get("properties", {}).get(part)
    return node


def test_every_value_is_documented_and_in_the_schema() -> None:
    values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    schema = json.loads((CHART_DIR / "values.schema.json").read_text())
    documented = _readme_parameters()
    undocumented = [
        leaf
        for leaf in _leaves(values)
        if not any(leaf == d or leaf.startswith(f"{d}.") for d in documented)
    ]
    assert undocumented == []
    assert [d for d in sorted(documented) if _schema_node(schema, d) is None] == []


def _declared() -> dict[str, dict[str, Any]]:
    meta = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())
    entries = yaml.safe_load(meta["annotations"]["chartsafe.io/secrets"])
    return {e.get("name") or e["valuesPath"]: e["keys"] for e in entries}


def test_declared_secret_formats_are_known() -> None:
    formats = [k["format"] for keys in _declared().values() for k in keys.values()]
    assert [f for f in formats if not FORMATS.fullmatch(f)] == []


def test_seed_secrets_are_declared() -> None:
    declared = _declared()
    assert set(declared["agentapi-secrets"]) == {"GITHUB_TOKEN", "API_KEYS"}
    assert set(declared["agentapi-s3-credentials"]) == {"access-key", "secret-key"}


@pytest.mark.parametrize(
    "values", [DATA / "role-env.yaml", DATA / "role-env-flexible.yaml", ROLE_EXAMPLE]
)
def test_role_env_secrets_of_the_seed_are_declared(values: Path) -> None:
    declared = _declared()
    missing = [
        (secret, key)
        for _, secret, key in projected(render(CHART, values))
        if key not in declared.get(secret, {})
    ]
    assert missing == []
