"""A delivered Secret over 1 MiB is refused before anything is written (user trial §3).

The API server refuses a Secret whose data together exceed 1 MiB; ``template`` says so of a
chart's Secret, and ``secrets render --as secret|sealed`` and ``up --deliver secret|sealed``
must say it of the Secrets they build from the store, by the same rule, before they write a
file or a bundle: naming the Secret and its size, never a value.
"""

from __future__ import annotations

import base64
import secrets as random
from pathlib import Path

import pytest
from bad_input import one_clear_line
from sealed_helpers import GENERATED

from chartsafe._api_rules import api_problems
from chartsafe._errors import InputError
from chartsafe._objects import K8sObject
from chartsafe.cli import main
from chartsafe.deliver._size import refuse_oversized
from chartsafe.store import create_identity_file

CHART = str(Path(__file__).resolve().parents[1] / "data" / "delivery" / "large-secret")
CERT = str(GENERATED / "rsa2048.cert.pem")
MIB = 1024 * 1024


def _secret(*sizes: int) -> dict[str, object]:
    data = {f"k{i}": base64.b64encode(b"v" * size).decode() for i, size in enumerate(sizes)}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "blob",
            "namespace": "app"}, "type": "Opaque", "data": data}  # fmt: skip


def test_the_limit_is_templates_own_rule() -> None:
    """1 MiB of data together passes, one byte more does not, with template's words."""
    refuse_oversized([_secret(MIB // 2, MIB // 2)])
    body = _secret(MIB // 2, MIB // 2 + 1)
    with pytest.raises(InputError) as caught:
        refuse_oversized([_secret(MIB), body])
    obj = K8sObject(text="", body=body, source="", release_namespace="app")
    [rule] = [p.message for p in api_problems(obj) if "1 MiB" in p.message]
    assert caught.value.message == f"Secret app/blob: {rule}"
    assert "holds 1048577 bytes" in caught.value.message
    assert "k1 holds 524289 bytes" in str(caught.value.hint)


@pytest.fixture
def big_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """A store whose Secret ``blob`` holds 1.2 MB in two keys (each under 1 MiB alone) and
    whose ``small`` fits; the flags that open it, and its values."""
    recipient = create_identity_file(tmp_path / "age.txt")
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(tmp_path / "age.txt"))
    store = str(tmp_path / "store.yaml")
    values = []
    for name, key, size in (("blob", "part-a", 600_000), ("blob", "part-b", 600_000),
                            ("small", "token", 20)):  # fmt: skip
        values.append(random.token_urlsafe(size)[:size])
        path = tmp_path / "value"
        path.write_text(values[-1])
        assert main(["secrets", "set", "-n", "app", name, key, "--from-file", str(path),
                     "--store", store, "--age", recipient]) == 0  # fmt: skip
        path.unlink()
    return ["--store", store], values


RUNS = {
    "secrets render --as secret": ["secrets", "render", "r", CHART, "-n", "app", "--as",
                                   "secret", "--out", "{out}"],
    "secrets render --as sealed": ["secrets", "render", "r", CHART, "-n", "app", "--as",
                                   "sealed", "--cert", CERT, "--out", "{out}"],
    "up --deliver secret": ["up", "r", CHART, "-n", "app", "--deliver", "secret", "--out",
                            "{out}"],
    "up --deliver sealed": ["up", "r", CHART, "-n", "app", "--deliver", "sealed", "--cert",
                            CERT, "--out", "{out}"],
}  # fmt: skip


@pytest.mark.parametrize("args", RUNS.values(), ids=RUNS.keys())
def test_delivery_refuses_a_secret_over_1_mib_before_writing(
    args: list[str],
    big_store: tuple[list[str], list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    flags, values = big_store
    out = tmp_path / "delivered"
    capsys.readouterr()
    assert main([a.format(out=out) for a in args] + flags) == 2
    captured = capsys.readouterr()
    assert not out.exists()
    error = one_clear_line(captured.err, 2, ["Secret app/blob: holds 1200000 bytes; the API "
                                             "server takes at most 1 MiB"])  # fmt: skip
    assert "largest key part-a holds 600000 bytes" in error and "app/small" not in error
    for value in values:
        assert value[:16] not in captured.out + captured.err
