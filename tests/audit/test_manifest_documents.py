"""How ``audit --files`` cuts a manifest file into documents: on ``---`` lines only."""

from __future__ import annotations

import pytest

from chartsafe.audit._manifests import split_documents

CASES = [
    ("a: 1\n", ["a: 1\n"]),
    ("---\na: 1\n", ["", "\na: 1\n"]),
    ("a: 1\n---\nb: 2\n", ["a: 1\n", "\nb: 2\n"]),
    # a marker may carry blanks and a comment; the text after it is not a document of its own
    ("a: 1\n---  # next\nb: 2", ["a: 1\n", "\nb: 2"]),
    ("a: 1\n---\t\n---\nb: 2", ["a: 1\n", "\n", "\nb: 2"]),
    # not markers: four dashes, a word after the dashes, dashes inside a line, CRLF lines
    ("a: 1\n----\nb: 2", ["a: 1\n----\nb: 2"]),
    ("a: 1\n--- b\n", ["a: 1\n--- b\n"]),
    ("a: x---\nb: 2", ["a: x---\nb: 2"]),
    ("a: 1\r\n---\r\nb: 2", ["a: 1\r\n---\r\nb: 2"]),
    # a block scalar keeps its final newline: the newline before the marker stays with it
    ("a: |\n  text\n---\nb: 2\n", ["a: |\n  text\n", "\nb: 2\n"]),
    ("a: 1\n---", ["a: 1\n", ""]),
    ("", [""]),
]


@pytest.mark.parametrize(("text", "documents"), CASES)
def test_documents_are_cut_on_marker_lines(text: str, documents: list[str]) -> None:
    assert split_documents(text) == documents
