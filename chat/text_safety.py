"""Control characters people cannot see, dropped before text is stored or written to a file.

Two rules, named for their reason, because they differ by one character on purpose:

* ``strip_invisible``: what arrives from a chat or a form. Control characters other than
  tab and line breaks show nothing in any client, PostgreSQL refuses NUL in text columns,
  and Excel/Word files refuse most of them, so they never get past the front door. DEL
  (``\\x7f``) goes too: it is as invisible as the rest.
* ``strip_xml_forbidden``: what goes into a Word document. XML 1.0 forbids exactly these
  characters (Word would refuse to open the file); DEL is allowed there, so text that was
  stored before the front door existed is not changed more than the format requires.

Here, below ``bot`` and ``reminders``, because both take text from people and both write
Word files; neither may import the other's copy.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def strip_invisible(text: str) -> str:
    """``text`` without the control characters no client shows (tab and line breaks stay)."""
    return _INVISIBLE.sub("", text)


def strip_xml_forbidden(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, so a .docx made of it opens."""
    return _XML_FORBIDDEN.sub("", text)
