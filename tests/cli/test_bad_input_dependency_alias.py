"""A dependency whose repository is a name of Helm's repository list (``@stable``,
``alias:stable``): refused with the URL to write instead, since the SDK's fetch never
reads the user's list."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_repository import serve_charts, sub_charts

from chartsafe._helm import helm
from chartsafe.cli import main

PASSWORD = "list-password-5821"
LISTED = f"https://ci:{PASSWORD}@charts.example.test/stable"


def _chart(root: Path, repository: str) -> Path:
    chart = root / "app"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n"
        f"  - name: sub\n    version: 0.1.0\n    repository: '{repository}'\n"
    )
    return chart


def _list(path: Path, url: str) -> None:
    path.write_text(f"apiVersion: v1\nrepositories:\n  - name: stable\n    url: {url}\n")


COMMANDS = [
    ("dependency update", ["dependency", "update", "{chart}"]),
    ("dependency build", ["dependency", "build", "{chart}"]),
    ("template --dependency-update", ["template", "{chart}", "--dependency-update"]),
]
REPOSITORIES = ["@stable", "alias:stable"]


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "not listed"])
@pytest.mark.parametrize("repository", REPOSITORIES)
@pytest.mark.parametrize("args", [c[1] for c in COMMANDS], ids=[c[0] for c in COMMANDS])
def test_an_alias_is_refused_with_the_url_to_write(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    repository: str,
    listed: bool,
) -> None:
    chart = _chart(tmp_path, repository)
    listing = tmp_path / "repositories.yaml"
    if listed:
        _list(listing, LISTED)
    monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(listing))
    assert main([a.format(chart=chart) for a in args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"sub: repository {repository} names a repository of Helm's list" in err
    if listed:  # the URL without its user info: credentials do not belong in Chart.yaml
        assert "write repository: https://charts.example.test/stable in Chart.yaml" in err
    else:
        assert "write the repository's URL in Chart.yaml" in err
    assert PASSWORD not in err and "helm repo add" not in err
    assert not (chart / "charts").exists() and not (chart / "Chart.lock").exists()


def test_a_url_is_fetched_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal is only for names: the same repository given by its URL works."""
    sub_charts(tmp_path)
    with serve_charts(tmp_path) as (url, _):
        chart = _chart(tmp_path, url)
        _list(tmp_path / "repositories.yaml", url)
        monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(tmp_path / "repositories.yaml"))
        assert main(["dependency", "update", str(chart)]) == 0
    assert (chart / "charts" / "sub-0.1.0.tgz").is_file()


def test_the_sdk_does_not_read_the_users_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why the refusal exists: with the name in the user's list, pointing at a serving
    repository, the SDK's update still finds no such repository. Should a later SDK read
    the list, this fails, and the refusal should go."""
    sub_charts(tmp_path)
    with serve_charts(tmp_path) as (url, seen):
        _list(tmp_path / "repositories.yaml", url)
        monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(tmp_path / "repositories.yaml"))
        chart = _chart(tmp_path, "@stable")
        h = helm()
        with pytest.raises(h.HelmError, match="no repository definition for @stable"):
            h.dependency_update(chart)
    assert seen == []
