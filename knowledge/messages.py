"""Every message ``jambot kb check`` shows about a knowledge-base file, in Swedish, in one place.

Strategists read these when they edit entries (``*.md``), ``synonyms.yaml`` and guides
(``guides/*.yaml``), so the messages are Swedish, plain, and say what to do. The
``knowledge`` package never imports ``bot``, so they live here rather than in
``bot/texts/``. Field paths (``sources[0].url``), YAML keys and values stay as the file
writes them; only the words around them are translated.

Pydantic's own validation messages are mapped to Swedish for the cases a hand-edited file
meets (a missing field, a wrong type, an empty list, a value out of range); an error type
not listed here keeps pydantic's English text rather than hiding what went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# -- files -------------------------------------------------------------------------------------

NOT_A_DIRECTORY = "ingen katalog"
ALIAS = "YAML-ankare och alias (&namn, *namn) är inte tillåtna; skriv ut värdet"
OUTSIDE_LINK = "är en länk till en fil utanför kunskapsbasen; kopiera in filen i stället"
MISSING_FRONT_MATTER = "YAML-huvud saknas: filen ska börja med '---' och nycklarna sluta med '---'"
FRONT_MATTER_NOT_MAPPING = "YAML-huvudet ska vara nycklar med värden (id, title, questions, …)"
EMPTY_BODY = "svarstexten saknas: skriv svaret under den avslutande '---'"
NESTED_TOO_DEEPLY = "för djupt nästlad"


def too_large_entry(limit_kb: int) -> str:
    return f"filen är större än {limit_kb} kB; dela upp svaret i flera poster"


def too_large_guide(limit_kb: int) -> str:
    return f"filen är större än {limit_kb} kB; korta guiden"


def cannot_read(reason: object) -> str:
    return f"kan inte läsa filen: {reason}"


def yaml_error(reason: object) -> str:
    """PyYAML's own explanation (English) follows; the line number already points at it."""
    return f"YAML-fel: {reason}"


def duplicate_key(key: str) -> str:
    return f"nyckeln '{key}' förekommer två gånger"


def unknown_key(dotted: str, allowed: Sequence[str] = ()) -> str:
    if not allowed:
        return f"okänd nyckel '{dotted}'"
    return f"okänd nyckel '{dotted}' (tillåtna: {', '.join(allowed)})"


def missing_field(dotted: str) -> str:
    return f"obligatoriskt fält '{dotted}' saknas"


# -- entries -----------------------------------------------------------------------------------

NOT_BLANK = "får inte vara tomt"


def not_a_slug(value: str) -> str:
    return f"'{value}' är inget giltigt id (använd a-z, 0-9 och enstaka '-')"


def not_a_url(url: str) -> str:
    return f"'{url}' är ingen giltig webbadress (http:// eller https:// och ett värdnamn)"


def duplicate_entry(entry_id: str, lang: str, other: str) -> str:
    return f"id '{entry_id}' (språk {lang}) finns redan i {other}"


def unknown_related(entry_id: str) -> str:
    return f"related: id '{entry_id}' finns inte"


def long_title(length: int, limit: int) -> str:
    return (
        f"titeln är {length} tecken, längre än {limit}: korta den, "
        "den visas som rubrik på varje svar"
    )


def shared_question(question: str, other_id: str, other_path: str) -> str:
    return (
        f"exempelfrågan '{question}' finns också i posten '{other_id}' ({other_path}): "
        "låt den stå i den post som svarar bäst, annars kan Jämbot inte skilja dem åt"
    )


def developer_doc(url: str) -> str:
    return (
        f"'{url}' är utvecklardokumentation för en chattplattform och stöder inte ett svar "
        "i sak: hänvisa till den offentliga text eller det beslut som svaret bygger på"
    )


# -- synonyms.yaml -----------------------------------------------------------------------------

SYNONYMS_NOT_A_LIST = (
    "synonymerna ska vara en lista med grupper, t.ex. - [JI, jämställdhetsintegrering]"
)
SYNONYM_GROUP_NOT_TERMS = "en synonymgrupp ska vara en lista med termer som inte är tomma"
SYNONYM_GROUP_TOO_SMALL = "en synonymgrupp behöver minst två termer"

# -- guides ------------------------------------------------------------------------------------

GUIDE_NOT_MAPPING = "en guide ska vara nycklar med värden (id, title, steps, …)"
ONE_LINE = "ska vara en enda rad"
CHOICE_NEEDS_TWO = "ett fält med kind 'choice' behöver minst två val"
SHORT_PATH_ONLY_ON_REQUIRED = "short_path: bara på ett obligatoriskt val (required) i stegen"
SHORT_PATH_NEVER_REACHED = "short_path nås aldrig: markera ett val med 'short_path: true'"
SHORT_PATH_MISSING = "ett val leder till den korta vägen, men guiden har ingen 'short_path'"


def too_long_help(length: int, limit: int) -> str:
    return f"är {length} tecken; håll den under {limit}"


def not_a_field_id(value: str) -> str:
    return f"'{value}' är inget giltigt id (använd a-z, 0-9, '-' och '_')"


def reserved_id(value: str) -> str:
    return f"'{value}' är reserverat; välj ett annat id"


def bad_template(reason: object) -> str:
    return f"är ingen giltig mall ({reason}); skriv {{{{ och }}}} för klammerparenteser"


def unknown_placeholder(name: str, allowed: str) -> str:
    return f"okänd platshållare {{{name}}}: bara {{{allowed}}} fylls i"


def duplicate_value(value: str) -> str:
    return f"värdet '{value}' förekommer två gånger"


def duplicate_guide(guide_id: str, lang: str, other: str) -> str:
    return f"guide-id '{guide_id}' (språk {lang}) finns redan i {other}"


def duplicate_step(step_id: str) -> str:
    return f"steg-id '{step_id}' förekommer två gånger"


def duplicate_field(field_id: str) -> str:
    return f"fält-id '{field_id}' förekommer två gånger"


def choices_only_for_choice(kind: str) -> str:
    return f"choices: bara för kind 'choice', inte '{kind}'"


def unknown_entry(entry_id: str) -> str:
    return f"posten '{entry_id}' finns inte"


# -- pydantic's validation errors --------------------------------------------------------------

# What a list field holds, for "måste ha minst en källa" rather than "minst ett värde".
_ONE_ITEM = {
    "sources": "en källa",
    "questions": "en fråga",
    "steps": "ett steg",
    "fields": "ett fält",
    "choices": "ett val",
    "tags": "en tagg",
}

_BY_TYPE = {
    "string_type": "ska vara text",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara nycklar med värden",
    "model_type": "ska vara nycklar med värden",
    "model_attributes_type": "ska vara nycklar med värden",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "url_type": "ska vara en webbadress",
    "url_parsing": "är ingen giltig webbadress",
    "url_scheme": "ska börja med http:// eller https://",
}


def at_least_one(loc: Sequence[int | str]) -> str:
    """``sources: måste ha minst en källa``: the list's items named after the field."""
    name = next((step for step in reversed(loc) if isinstance(step, str)), "")
    return f"måste ha minst {_ONE_ITEM.get(name, 'ett värde')}"


def validation_reason(error: Mapping[str, Any]) -> str:
    """Swedish for one pydantic error (``missing`` and ``extra_forbidden`` excepted: the
    loaders word those with the field's name); unknown types keep pydantic's English."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":  # our own validators, already Swedish
        return str(ctx.get("error", error["msg"]))
    if kind == "too_short":
        return at_least_one(error["loc"])
    if kind == "too_long":
        return f"får ha högst {ctx.get('max_length')} värden"
    if kind == "string_too_long":
        return f"får vara högst {ctx.get('max_length')} tecken"
    if kind == "string_too_short":
        return f"måste vara minst {ctx.get('min_length')} tecken"
    if kind == "literal_error":
        return f"ska vara {str(ctx.get('expected', '')).replace(' or ', ' eller ')}"
    if kind == "greater_than_equal":
        return f"måste vara minst {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"får vara högst {ctx.get('le')}"
    if kind in _BY_TYPE:
        return _BY_TYPE[kind]
    message = str(error["msg"])
    return message[:1].lower() + message[1:]
