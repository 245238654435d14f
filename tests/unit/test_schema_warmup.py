"""The background warm-up: it builds what validation needs and leaves no trace behind."""

from __future__ import annotations

import sys
import threading

from chartsafe import K8sObject, SchemaValidator


def _warmers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "chartsafe-schemas"]


def test_warm_up_builds_the_common_kinds_and_restores_the_switch_interval() -> None:
    before = sys.getswitchinterval()
    validators = [SchemaValidator("1.31.0"), SchemaValidator("1.32.0"), SchemaValidator("1.31.4")]
    for validator in validators:
        validator.warm_up()  # overlapping threads, two of them for the same schema set
    for thread in _warmers():
        thread.join(timeout=60)
    assert not _warmers()
    assert sys.getswitchinterval() == before
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                  "spec": {"selector": {}, "template": {}, "replicaz": 1}}  # fmt: skip
    obj = K8sObject("", deployment, "t.yaml", "default")
    for validator in validators:
        problems = validator.problems(obj)
        assert problems is not None and [p.path for p in problems] == ["spec"]


def test_a_warm_cache_starts_no_thread() -> None:
    validator = SchemaValidator("1.33.0")
    validator.warm_up()
    for thread in _warmers():
        thread.join(timeout=60)
    validator.warm_up()
    assert not _warmers()
