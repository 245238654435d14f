"""Writing a small chart for one test: ``write_chart(tmp_path / "app", {...})``."""

from __future__ import annotations

from pathlib import Path


def write_chart(
    root: Path,
    templates: dict[str, str],
    values: str = "",
    version: str = "0.1.0",
    *,
    metadata: str = "",
) -> Path:
    """A chart named after ``root`` with these templates (file name → text) and values;
    ``metadata`` adds lines to its Chart.yaml (``"kubeVersion: '<1.30.0'\\n"``)."""
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {root.name}\nversion: {version}\n{metadata}"
    )
    (root / "values.yaml").write_text(values)
    for name, text in templates.items():
        (root / "templates" / name).write_text(text)
    return root


#: A ConfigMap whose ``host`` Helm resolves with ``getHostByName``: a loopback address with
#: ``--enable-dns``, "" without it.
DNS_LOOKUP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  host: {{ getHostByName "localhost" | quote }}
"""


#: bitnami's postgresql before its common library: a Secret keeping one key with ``lookup``
#: (``postgres-password``) and making the other anew on each render (``password``).
PARTIAL_LOOKUP = """{{- $existing := lookup "v1" "Secret" .Release.Namespace "db" }}
apiVersion: v1
kind: Secret
metadata: {name: db}
data:
  {{- if $existing }}
  postgres-password: {{ index $existing.data "postgres-password" }}
  {{- else }}
  postgres-password: {{ randAlphaNum 16 | b64enc | quote }}
  {{- end }}
  password: {{ randAlphaNum 16 | b64enc | quote }}
"""

_ENV_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - name: app
          image: example.com/app:1
          env:
"""


def env_deployment(*entries: str, name: str = "app") -> str:
    """A Deployment of one container whose env holds ``entries``, each one list item as
    written after ``- `` (``{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}``)."""
    items = "".join(f"            - {entry}\n" for entry in entries)
    return _ENV_DEPLOYMENT.format(name=name) + items
