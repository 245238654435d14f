"""chartsafe benchmarks, printed as ratios against their peers in one run.

Run with ``make bench``. Nothing here is asserted by the tests: timings on a
shared machine vary, ratios measured in one run are what we compare.

1. Start-up: ``chartsafe --help`` and ``--version`` (target: under 0.3 s).
2. Whole-process ``chartsafe template CHART`` against a minimal Python process
   that only loads the chart and renders it through ``helm_python``
   (target: within 1.5x), on the largest chart present.
3. Kubernetes schema validation of 1,000 rendered objects of mixed kinds:
   chartsafe's compiled validators against ``kubernetes_validate.validate`` per
   object; the verdicts must be the same (target: at least 10x faster).
4. Contract derivation on a 500-object release, next to its rendering
   (target: under 50 ms), in bench/contract.py.
5. Work linear in the number of objects, command by command, on releases of
   1,000 to 4,000 objects, in bench/scaling.py.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "bench"))

from workload import demo_values, largest_chart, mixed_objects  # noqa: E402


def _wall(argv: list[str], runs: int) -> float:
    """Median wall time of ``runs`` runs of a whole process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_startup() -> None:
    for flag in ("--help", "--version"):
        seconds = _wall([str(BIN / "chartsafe"), flag], runs=7)
        verdict = "ok" if seconds < 0.3 else "over the 0.3 s target"
        print(f"start-up  chartsafe {flag:<10} {seconds * 1000:7.1f} ms  ({verdict})")


MINIMAL_RENDER = """
import json, sys, helm_python
values = json.loads(sys.argv[2])
with helm_python.Chart.load(sys.argv[1]) as chart:
    rendered = chart.render(values, name="bench", namespace="bench")
sys.stdout.write("".join(rendered.values()))
"""


def bench_template() -> None:
    import json

    chart, values_file = largest_chart(REPO)
    values = demo_values(values_file)
    args = ["-f", str(values_file)] if values_file else []
    ours_argv = [str(BIN / "chartsafe"), "template", "bench", str(chart), "-n", "bench", *args]
    peer_argv = [sys.executable, "-c", MINIMAL_RENDER, str(chart), json.dumps(values)]
    # Interleaved, so that load from other processes weighs on both sides alike.
    ours_runs, peer_runs = [], []
    for _ in range(21):  # the two differ by tens of ms: enough runs for a steady median
        ours_runs.append(_wall(ours_argv, 1))
        peer_runs.append(_wall(peer_argv, 1))
    ours, peer = statistics.median(ours_runs), statistics.median(peer_runs)
    print(
        f"template  {chart.name} ({values_file.name if values_file else 'defaults'}): chartsafe "
        f"{ours * 1000:.0f} ms, helm_python alone {peer * 1000:.0f} ms, ratio {ours / peer:.2f}x "
        "(target <= 1.5x; chartsafe also validates every object)"
    )


def bench_validation() -> None:
    import kubernetes_validate

    from chartsafe import K8sObject, SchemaValidator

    bodies = mixed_objects(REPO, 1000)
    objects = [K8sObject("", b, "bench", "default") for b in bodies]

    start = time.perf_counter()
    validator = SchemaValidator("1.36.0")
    ours = [not (validator.problems(o) or []) for o in objects]
    ours_s = time.perf_counter() - start

    start = time.perf_counter()
    theirs: list[Any] = []
    for body in bodies:
        try:
            kubernetes_validate.validate(body, "1.36.0", strict=True)
            theirs.append(True)
        except kubernetes_validate.ValidationError:
            theirs.append(False)
    theirs_s = time.perf_counter() - start

    same = sum(a == b for a, b in zip(ours, theirs, strict=True))
    kinds = len({b["kind"] for b in bodies})
    print(
        f"validate  {len(bodies)} objects, {kinds} kinds, {ours.count(False)} invalid: chartsafe "
        f"{ours_s * 1000:.0f} ms, kubernetes_validate {theirs_s * 1000:.0f} ms, "
        f"{theirs_s / ours_s:.1f}x faster (target >= 10x); same verdicts on {same}/{len(bodies)}"
    )


def compile_bytecode() -> None:
    """Write chartsafe's ``.pyc`` files, as ``pip install`` does for an installed package.

    The checkout is installed editable, and a ``PYTHONDONTWRITEBYTECODE`` in the
    environment would have every timed process compile chartsafe from source
    (about 10 ms on ``template``): a cost no installed chartsafe pays.
    """
    import compileall

    compileall.compile_dir(REPO / "src" / "chartsafe", quiet=1)


if __name__ == "__main__":
    compile_bytecode()
    bench_startup()
    bench_template()
    bench_validation()
    import audit  # bench/audit.py: chartsafe audit against checkov and detect-secrets

    audit.main()
    from store import bench_store  # bench/store.py: 1,000-key secret store

    bench_store()
    from contract import bench_contract  # bench/contract.py: derivation on 500 objects

    bench_contract()
    from scaling import bench_rule_scaling, bench_scaling  # bench/scaling.py: linear work

    bench_rule_scaling()
    bench_scaling()
