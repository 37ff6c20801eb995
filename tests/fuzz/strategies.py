"""Hostile input: what a buggy client, a fuzzer or an attacker would send."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded for the suite; JAMBOT_FUZZ_EXAMPLES=2000 for a deeper run by hand.
FUZZ = settings(
    max_examples=int(os.environ.get("JAMBOT_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text with the awkward parts of Unicode: combining marks, RTL overrides, zero-width
# joiners, surrogates-free astral symbols, NULs and other control characters.
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(categories=["Cc", "Cf", "Mn", "Zl", "Zp", "Zs", "So", "Co"]), max_size=80),
    st.sampled_from([
        "", " ", "\x00", "\u202e\u0645\u0631\u062d\u0628\u0627", "Z\u0351\u036b\u0343\u036a\u0302\u036b",
        "👩🏽‍⚕️👨‍👩‍👧", "\ufeff", "å" * 5000, "<script>alert(1)</script>", "'; DROP TABLE status_update; --",
        "{{7*7}}", "${jndi:ldap://127.0.0.1/x}", "../../etc/passwd", "%s%n%x", "\r\n\r\nHTTP/1.1 200 OK",
    ]),
)

# Text that a spreadsheet would run as a formula if it reached a cell unguarded.
formula_text = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["=", "+", "-", "@", "\t=", "\r=", "\x01=", "\x00=", "\x1b=", " =", "\n="]),
    st.sampled_from([
        'HYPERLINK("http://127.0.0.1/x","klicka")', "1+1", "cmd|' /C calc'!A0", "SUM(A1:A9)",
        "IMPORTXML(CONCAT(\"http://127.0.0.1/?\",A1),\"//a\")", "DDE(\"cmd\";\"/C calc\";\"x\")",
    ]),
)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False), nasty_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(nasty_text, children, max_size=5),
    max_leaves=25,
)


def mutate(base: dict[str, Any], draw: Any) -> dict[str, Any]:
    """A copy of ``base`` with one to three keys replaced by values of the wrong kind, or removed."""
    out = dict(base)
    for key in draw(st.lists(st.sampled_from(sorted(base)), min_size=1, max_size=3, unique=True)):
        if draw(st.booleans()):
            out.pop(key)
        else:
            out[key] = draw(json_values)
    return out
