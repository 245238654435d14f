"""Many documents through Helm's parser (``values_from_yaml_each``), on threads when many."""

from __future__ import annotations

import os
import threading

import pytest

from chartsafe._helm_parse import values_from_yaml, values_from_yaml_each
from chartsafe._striped import PARALLEL_FROM_BYTES as _PARALLEL_FROM_BYTES


#: Documents of at least 32 bytes: 3 stay on one thread, enough of them spread over threads.
@pytest.mark.parametrize("count", [3, _PARALLEL_FROM_BYTES // 32 + 57])
def test_each_document_in_order_with_its_error_in_place(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    real_start = threading.Thread.start

    def start(thread: threading.Thread) -> None:
        started.append(thread.name)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    docs = [f"name: doc-{i}\nindex: {i}\nmode: 0644\n" for i in range(count)]
    broken = count // 2
    docs[broken] = "a: [unclosed\n"
    got = values_from_yaml_each(docs)
    assert len(got) == count
    with pytest.raises(ValueError) as single:
        values_from_yaml(docs[broken])
    for index, body in enumerate(got):
        if index == broken:
            assert isinstance(body, ValueError) and str(body) == str(single.value)
        else:  # Helm's YAML 1.1 reading: 0644 is octal
            assert body == {"name": f"doc-{index}", "index": index, "mode": 420}
    parallel = [name for name in started if name.startswith("chartsafe-yaml")]
    if sum(map(len, docs)) < _PARALLEL_FROM_BYTES:
        assert not parallel
    else:  # one thread per core, up to four
        assert parallel or len(os.sched_getaffinity(0)) == 1
