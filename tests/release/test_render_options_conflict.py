"""install, upgrade and up take the release's name and namespace from their own arguments:
a RenderOptions saying otherwise is refused (bad input, nothing rendered or written), and
the caller's RenderOptions is never changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from release_fake_api import APP

from chartsafe import UpRequest, ValuesInput, up
from chartsafe._errors import InputError
from chartsafe._helm_release import ClusterTarget
from chartsafe._release import ReleaseSettings, install_release, upgrade_release
from chartsafe._render import RenderOptions

VALUES = {"password": "conflict-password-4e4e", "apiKey": "conflict-api-key-5f5f"}
MEMORY = ClusterTarget(namespace="shop", storage="memory")
CLIENT = ReleaseSettings(dry_run="client", install=True)


@pytest.mark.parametrize(
    ("render", "named"),
    [
        (RenderOptions(namespace="prod"), "RenderOptions.namespace 'prod'"),
        (RenderOptions(release_name="other"), "RenderOptions.release_name 'other'"),
    ],
)
@pytest.mark.parametrize("action", [install_release, upgrade_release])
def test_a_conflicting_render_option_is_refused(
    action: Callable[..., Any], render: RenderOptions, named: str
) -> None:
    with pytest.raises(InputError, match=re.escape(named)):
        action("shop", APP, VALUES, target=MEMORY, settings=CLIENT, render=render)


@pytest.mark.parametrize(
    "render",
    [RenderOptions(), RenderOptions(namespace="shop", release_name="shop")],
)
def test_agreeing_render_options_are_used_and_left_as_given(render: RenderOptions) -> None:
    before = (render.release_name, render.namespace, render.is_upgrade)
    outcome = install_release("shop", APP, VALUES, target=MEMORY, settings=CLIENT, render=render)
    assert (outcome.release.name, outcome.release.namespace) == ("shop", "shop")
    assert (render.release_name, render.namespace, render.is_upgrade) == before


def test_up_refuses_a_conflicting_namespace_before_writing_the_store(tmp_path: Path) -> None:
    store = tmp_path / "secrets.enc.yaml"
    request = UpRequest(
        name="shop",
        chart=APP,
        values=ValuesInput(),
        store=store,
        target=ClusterTarget(namespace="shop"),
        render=RenderOptions(namespace="default-was-meant-prod"),
        out=tmp_path / "bundle",
    )
    with pytest.raises(InputError, match=re.escape("ClusterTarget.namespace 'shop'")):
        up(request)
    assert not store.exists()
    assert not (tmp_path / "bundle").exists()
