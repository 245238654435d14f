"""Contract derivation on a 500-object release: what it adds to rendering (target: < 50 ms).

The release is a generated chart (in a temporary directory) whose templates
loop to 500 objects of the kinds that read and create Secrets: Deployments
with secretKeyRef/envFrom/volumes, the Secrets some of them read, Services,
ConfigMaps and Ingresses with TLS.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

TEMPLATE = """
{{- range $i := until (int .Values.groups) }}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-{{ $i }}}
spec:
  selector: {matchLabels: {app: app-{{ $i }}}}
  template:
    metadata: {labels: {app: app-{{ $i }}}}
    spec:
      imagePullSecrets: [{name: registry}]
      containers:
        - name: main
          image: busybox:1.36
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db-{{ $i }}, key: password}}
            - name: REDIS_URL
              valueFrom: {secretKeyRef: {name: shared, key: redis-url}}
          envFrom: [{secretRef: {name: env-{{ $i }}}}]
          volumeMounts: [{name: tls, mountPath: /tls}]
      volumes:
        - name: tls
          secret: {secretName: tls-{{ $i }}, items: [{key: tls.crt, path: tls.crt}]}
---
apiVersion: v1
kind: Secret
metadata: {name: env-{{ $i }}}
stringData: {A: a, B: b}
---
apiVersion: v1
kind: Service
metadata: {name: app-{{ $i }}}
spec: {selector: {app: app-{{ $i }}}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-{{ $i }}}
data: {k: v}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app-{{ $i }}}
spec:
  tls: [{hosts: [a{{ $i }}.example.com], secretName: tls-{{ $i }}}]
  rules:
    - host: a{{ $i }}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: app-{{ $i }}, port: {number: 80}}}
{{- end }}
"""


def _chart(root: Path, groups: int) -> Path:
    chart = root / "many"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: many\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(f"groups: {groups}\n")
    (chart / "templates" / "all.yaml").write_text(TEMPLATE)
    return chart


def bench_contract(objects: int = 500, runs: int = 7) -> None:
    from chartsafe import RenderOptions, render_chart
    from chartsafe.contract import derive_contract

    with tempfile.TemporaryDirectory() as tmp:
        chart = _chart(Path(tmp), objects // 5)
        options = RenderOptions(validate=False)
        render_times, derive_times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            result = render_chart(chart, {}, options)
            middle = time.perf_counter()
            contract = derive_contract(result)
            end = time.perf_counter()
            render_times.append(middle - start)
            derive_times.append(end - middle)
    render_ms = statistics.median(render_times) * 1000
    derive_ms = statistics.median(derive_times) * 1000
    verdict = "ok" if derive_ms < 50 else "over the 50 ms target"
    print(
        f"contract  {len(result.objects)} objects, {len(contract.secrets)} Secrets: "
        f"render {render_ms:6.1f} ms, derive {derive_ms:5.1f} ms  ({verdict}; "
        f"derivation = {derive_ms / render_ms:.2f}x of rendering)"
    )


if __name__ == "__main__":
    bench_contract()
