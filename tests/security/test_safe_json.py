"""bot/safe_json.py: the shared parser for request bodies from strangers (issue 10, items 6, 7)."""

from __future__ import annotations

import json

import pytest

from bot import safe_json


@pytest.mark.parametrize("raw", ["[" * 100_000, "[" * 65 + "]" * 65, '{"a":' * 70 + "1" + "}" * 70])
def test_nesting_past_the_limit_is_a_nesting_error(raw: str) -> None:
    with pytest.raises(safe_json.NestingError, match="nested deeper than 64"):
        safe_json.loads(raw)


def test_nesting_up_to_the_limit_parses() -> None:
    assert safe_json.loads("[" * 64 + "]" * 64) is not None


def test_malformed_json_is_still_a_json_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        safe_json.loads('{"type": ')


def test_lone_surrogates_are_found_and_replaced_valid_pairs_kept() -> None:
    raw = '{"a\\udc00": ["x\\ud800", "\\ud83d\\ude00"]}'

    raw_value = safe_json.loads(raw, clean=False)
    clean = safe_json.loads(raw)

    assert safe_json.has_lone_surrogates(raw_value)
    assert clean == {"a\ufffd": ["x\ufffd", "😀"]}
    assert not safe_json.has_lone_surrogates(clean)
    json.dumps(clean, ensure_ascii=False).encode("utf-8")  # storable
