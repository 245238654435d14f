"""A resolved value stays masked however the chart escapes it: the leak chart copies
``config.endpoint`` raw into a ConfigMap and through ``toJson | quote`` into another key,
where Go escapes ``& < >`` as ``\\u0026``... and the quoting escapes the JSON again.

Each secret holds a marker of plain letters and digits next to the characters that get
escaped: whatever the escaping, printing any of the value shows the marker."""

from __future__ import annotations

from pathlib import Path

import pytest
from leak_helpers import LEAK
from refs_helpers import AgeKey

from chartsafe.cli import main
from chartsafe.store.secret_store import SecretStore

MARKER = "Zq7Marker4Vt"

VALUES = {
    "ampersand": f"ab&{MARKER}&cd",
    "angle brackets": f"<{MARKER}>",
    "double quote": f'say"{MARKER}"x',
    "backslash": f"c:\\{MARKER}\\x",
    "single quote": f"it's{MARKER}'s",
    "non-ASCII": f"pässwörd{MARKER}ß",
    "line separator": f"a\u2028{MARKER}",
}

COMMANDS = {
    "template": ["template", "leak", str(LEAK)],
    "template -o json": ["template", "leak", str(LEAK), "-o", "json"],
    "install --dry-run": ["install", "leak", str(LEAK), "--dry-run", "--storage", "memory"],
}


@pytest.mark.parametrize("value", list(VALUES.values()), ids=list(VALUES))
@pytest.mark.parametrize("command", list(COMMANDS.values()), ids=list(COMMANDS))
def test_escaped_copies_are_masked(
    value: str,
    command: list[str],
    tmp_path: Path,
    age_key: AgeKey,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store = tmp_path / "store.yaml"
    opened = SecretStore.create(store, recipients=age_key.recipient)
    opened.set("default", "leak-app", "endpoint", value)
    opened.save()
    args = [*command, "--store", str(store), "--set",
            "config.endpoint=ref+chartsafe://default/leak-app/endpoint"]  # fmt: skip
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "settings.json" in out  # the escaped copy was rendered
    assert MARKER not in out + err


def test_the_library_printers_mask_what_the_cli_masks(tmp_path: Path, age_key: AgeKey) -> None:
    """``manifests_yaml``/``manifests_json`` with the render's secrets mask as ``template``."""
    from chartsafe import RenderOptions, ValuesInput, manifests_json, manifests_yaml, render_chart

    store = tmp_path / "store.yaml"
    opened = SecretStore.create(store, recipients=age_key.recipient)
    opened.set("default", "leak-app", "endpoint", VALUES["ampersand"])
    opened.save()
    given = ValuesInput(
        set=["config.endpoint=ref+chartsafe://default/leak-app/endpoint"],
        store=store,
        age_key_file=age_key.path,
    )
    result = render_chart(LEAK, given, RenderOptions(release_name="leak"))
    secrets = result.user_values.secrets  # type: ignore[union-attr]
    for printer in (manifests_yaml, manifests_json):
        assert MARKER in printer(result.objects)  # the chart does copy it
        assert MARKER not in printer(result.objects, secrets=secrets)
        assert MARKER in printer(result.objects, secrets=secrets, reveal=True)
