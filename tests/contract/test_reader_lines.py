"""The "Read by" cell of the contract table and Markdown: each reader once, containers
named where the workload's name does not say which one reads; a Secret read whole is
listed the same way as a key."""

from __future__ import annotations

import pytest

from chartsafe.contract._model import Contract, Reader, SecretRef
from chartsafe.contract._text import contract_markdown, reader_lines


def _env(kind: str, name: str, container: str, env: str = "DB_PASSWORD") -> Reader:
    return Reader(kind=kind, name=name, via="env", container=container, env=env)


@pytest.mark.parametrize(
    ("readers", "expected"),
    [
        # one container named like its workload: the name says it
        ([_env("Deployment", "rel-api", "api")], ["env DB_PASSWORD: deploy/rel-api"]),
        # a sidecar: named
        (
            [_env("Deployment", "rel-api", "api"), _env("Deployment", "rel-api", "proxy")],
            ["env DB_PASSWORD: deploy/rel-api[api], deploy/rel-api[proxy]"],
        ),
        # a Job's init container and its main one, both named like the Job's tail
        (
            [_env("Job", "rel-migrate", "migrate"), _env("Job", "rel-migrate", "rel-migrate")],
            ["env DB_PASSWORD: job/rel-migrate[migrate], job/rel-migrate[rel-migrate]"],
        ),
        # two workloads, read two ways
        (
            [_env("Deployment", "rel-api", "api"), _env("Job", "rel-migrate", "migrate", "PW")],
            ["env DB_PASSWORD: deploy/rel-api", "env PW: job/rel-migrate"],
        ),
    ],
)
def test_each_reader_is_listed_once(readers: list[Reader], expected: list[str]) -> None:
    assert reader_lines(readers) == expected


@pytest.mark.parametrize(
    ("count", "limit", "tail"),
    [
        (12, 8, "deploy/app-7 and 4 more"),  # a table cell: eight named, the rest counted
        (8, 8, "deploy/app-7"),  # exactly the limit: all named, nothing counted
        (12, None, "deploy/app-11"),  # -o markdown: every reader
    ],
)
def test_a_limit_names_that_many_readers_and_counts_the_rest(
    count: int, limit: int | None, tail: str
) -> None:
    readers = [_env("Deployment", f"app-{i}", "main") for i in range(count)]
    readers.append(readers[0])  # read twice the same way: listed once, counted once
    (line,) = reader_lines(readers, limit=limit)
    assert line.startswith("env DB_PASSWORD: deploy/app-0[main], deploy/app-1[main]")
    assert line.replace("[main]", "").endswith(tail)
    assert line.count("deploy/") == min(count, limit or count)


def test_a_secret_read_whole_lists_its_readers_as_a_key_does() -> None:
    readers = [
        Reader("Deployment", "rel-web", "projected", container="web", mount_path="/etc/proj",
               whole=True),
        Reader("Deployment", "rel-web", "envFrom", container="web", whole=True),
    ]  # fmt: skip
    assert reader_lines(readers) == [
        "projected /etc/proj: deploy/rel-web",
        "envFrom: deploy/rel-web",
    ]
    contract = Contract("rel", "ns", "chart", [SecretRef("rel-all", "ns", whole_readers=readers,
                                                         key_source="unknown")])  # fmt: skip
    assert (
        "- Keys unknown: read whole by projected /etc/proj: deploy/rel-web; envFrom: "
        "deploy/rel-web; declare them in Chart.yaml."
    ) in contract_markdown(contract)
