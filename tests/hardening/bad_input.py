"""The bad-input corpus for HTML forms and file imports, and the pieces that find and fill every form.

``discover_forms`` GETs every page of the site walk (``site_walk.FILL``) as the account that uses it, reads each
``<form>`` from the HTML (fields, their kinds, options, current values and ``maxlength``) and keeps one of each
(action URL name, field names). ``cases_for`` gives each field the corpus values that fit its kind: text fields
get empty, oversized, script, formula and Unicode edge values; numbers, dates and choices get wrong types,
out-of-range values and impossible dates. Bodies are encoded by hand (``encode``) so that bytes no browser
would send, such as a UTF-16 surrogate encoded as UTF-8, can be sent too.

Used by tests/hardening/test_bad_input_forms.py and tests/hardening/test_bad_input_imports.py."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes, urlsplit

from django.urls import Resolver404, resolve

# Raw bytes stand for themselves in a form body (encode() percent-encodes them as they are); str is UTF-8.
Value = str | bytes

SCRIPT = '<script>alert("odp-xss")</script>'
ATTRIBUTE = '" autofocus onfocus="alert(1)" x="'
# What must never appear unescaped in a page: the script element and the injected attribute.
INJECTED = ('<script>alert("odp-xss")', 'onfocus="alert(1)"')
FORMULAS = ('=HYPERLINK("http://example.invalid","click")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)")
NUL = "before\x00after"
# A lone UTF-16 surrogate encoded as UTF-8 (CESU-8 style), and a byte that is never valid UTF-8.
INVALID_UTF8 = b"bad \xed\xa0\x80 and \xff end"
UNICODE_EDGES = (
    "abc\u202edcba"  # right-to-left override
    "\u200b\u200d\ufeff"  # zero-width space, zero-width joiner, BOM
    "e\u0301 Z\u0336\u0335"  # combining accents and strokes
    "👩🏽‍💻 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"  # emoji with modifier and ZWJ, non-BMP letters
    " café cafe\u0301"  # the same word in NFC and NFD
)
ONE_MEGABYTE = "x" * (1024 * 1024)


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, email, password, date-part, select, radio, checkbox, hidden, file, submit
    id: str = ""
    value: str = ""  # the value a browser would send as the page stands
    options: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # radios and checkboxes: the values ticked
    maxlength: int | None = None
    multiple: bool = False


@dataclass
class Form:
    page: str  # the URL name of the page the form is on
    page_path: str
    owner: str  # the demo account that uses it
    action: str  # the path it submits to
    action_name: str  # the URL name of that path
    method: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.action_name, self.method, tuple(sorted(self.fields)))

    def __str__(self) -> str:
        return f"{self.method} {self.action} ({self.action_name}, on {self.page_path} as {self.owner})"


class _FormParser(HTMLParser):
    """The forms of a page, as a browser would see them (the stdlib parser: no third-party HTML library here)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict[str, str], dict[str, Field]]] = []
        self._fields: dict[str, Field] | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((a, self._fields))
            return
        if self._fields is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                found = self._fields.setdefault(name, Field(name, kind, id=a.get("id", "")))
                found.options.append(a.get("value", "on"))
                if "checked" in a:
                    found.checked.append(a.get("value", "on"))
                return
            if kind in ("submit", "image", "button", "reset"):
                self._fields.setdefault(name, Field(name, "submit", value=a.get("value", "")))
                return
            if kind not in ("hidden", "file", "number", "email", "password"):
                kind = "text"
            maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
            self._fields[name] = Field(name, kind, id=a.get("id", ""), value=a.get("value", ""), maxlength=maxlength)
        elif tag == "button" and name:
            self._fields.setdefault(name, Field(name, "submit", value=a.get("value", "")))
        elif tag == "textarea" and name:
            maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
            self._textarea = Field(name, "textarea", id=a.get("id", ""), maxlength=maxlength)
            self._fields[name] = self._textarea
            self._text = []
        elif tag == "select" and name:
            self._select = Field(name, "select", id=a.get("id", ""), multiple="multiple" in a)
            self._fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._option = a
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = "".join(self._text).removeprefix("\n")
            self._textarea = None
        elif tag == "option" and self._select is not None and self._option is not None:
            value = self._option.get("value", "".join(self._text).strip())
            self._select.options.append(value)
            if "selected" in self._option:
                self._select.checked.append(value)
            self._option = None
        elif tag == "select":
            self._select = None


def _mark_dates(fields: dict[str, Field]) -> None:
    """Text boxes named ``<stem>_day`` and ``<stem>_month`` (and maybe ``_year``) are one GOV.UK date input."""
    for name, f in fields.items():
        stem, _, part = name.rpartition("_")
        if part in ("day", "month", "year") and f"{stem}_day" in fields and f"{stem}_month" in fields:
            f.kind = "date-part"


def forms_in(html: str, *, page: str, page_path: str, owner: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    found = []
    for attrs, fields in parser.forms:
        _mark_dates(fields)
        action = attrs.get("action") or page_path
        path = urlsplit(action).path or page_path
        try:
            action_name = resolve(path).url_name or path
        except Resolver404:
            action_name = f"unresolved {path}"
        found.append(
            Form(
                page=page,
                page_path=page_path,
                owner=owner,
                action=action if action.startswith("/") else page_path,
                action_name=action_name,
                method=attrs.get("method", "get").upper(),
                multipart="multipart" in attrs.get("enctype", ""),
                fields=fields,
            )
        )
    return found


def baseline(form: Form) -> list[tuple[str, Value]]:
    """What a person would plausibly send: values already on the page, else something valid-looking for the kind
    (today for dates, the first real option for choices), so that the corpus value is the one thing wrong."""
    today = datetime.date.today()
    pairs: list[tuple[str, Value]] = []
    for f in form.fields.values():
        if f.kind in ("file",):
            continue
        if f.kind == "submit":
            if f.value:
                pairs.append((f.name, f.value))
        elif f.kind in ("radio", "select"):
            chosen = f.checked or [o for o in f.options if o][:1]
            pairs += [(f.name, v) for v in chosen]
        elif f.kind == "checkbox":
            pairs += [(f.name, v) for v in f.checked]
        elif f.value:
            pairs.append((f.name, f.value))
        elif f.kind == "date-part":
            part = f.name.rsplit("_", 1)[1]
            pairs.append((f.name, str(getattr(today, part))))
        elif f.kind == "number":
            pairs.append((f.name, "1"))
        elif f.kind == "email":
            pairs.append((f.name, "someone@example.gov.uk"))
        elif f.kind in ("text", "textarea"):
            pairs.append((f.name, "Plain words"))
    return pairs


@dataclass(frozen=True)
class Case:
    label: str  # the corpus class and variant: "script", "NUL", "impossible date" ...
    field: str
    values: tuple[tuple[str, Value], ...]  # the replacements (a date gets all three parts)

    @property
    def corpus_class(self) -> str:
        return self.label.split(" (")[0]


def _text_cases(f: Field) -> Iterator[tuple[str, Value]]:
    yield "empty", ""
    yield "whitespace only", " \t\r\n "
    limit = f.maxlength or 1000
    yield "oversized (over maxlength)", "x" * (limit + 1)
    # Four-byte characters up to the limit: fine by length in characters, four times it in bytes.
    yield "unicode (4-byte at maxlength)", "𝔘" * limit
    if f.kind == "textarea":
        yield "oversized (1 MB)", ONE_MEGABYTE
    yield "script", SCRIPT
    yield "script (attribute)", ATTRIBUTE
    yield "formula", FORMULAS[0]
    yield "formula (+cmd)", FORMULAS[1]
    yield "NUL", NUL
    yield "unicode (edges)", UNICODE_EDGES
    yield "invalid UTF-8", INVALID_UTF8


def _choice_cases(f: Field) -> Iterator[tuple[str, Value]]:
    yield "empty", ""
    yield "wrong type (not an option)", "not-an-option"
    yield "wrong type (huge number)", "99999999999999999999999"
    yield "wrong type (negative)", "-1"
    yield "NUL", (f.options[-1] if f.options else "x") + "\x00"
    yield "script", SCRIPT
    yield "invalid UTF-8", INVALID_UTF8


def _number_cases(f: Field) -> Iterator[tuple[str, Value]]:
    yield "empty", ""
    yield "wrong type (text)", "twelve"
    yield "wrong type (out of range)", "-99999999999999999999999"
    yield "wrong type (huge)", "1e309"
    yield "wrong type (NaN)", "NaN"
    yield "NUL", "1\x00"
    yield "script", SCRIPT


def cases_for(form: Form) -> list[Case]:
    """Each corpus class per field (not the cross product): about ten cases a text field, seven a choice."""
    cases: list[Case] = []
    dates_done: set[str] = set()
    repeated: set[str] = set()
    for f in form.fields.values():
        # Rows of the same fields (cost_1_amount, cost_2_amount ...): the first row stands for the others.
        shape = re.sub(r"\d+", "#", f.name)
        if shape != f.name and shape in repeated:
            continue
        repeated.add(shape)
        if f.kind in ("text", "textarea", "email", "password"):
            cases += [Case(label, f.name, ((f.name, v),)) for label, v in _text_cases(f)]
        elif f.kind in ("select", "radio", "checkbox"):
            cases += [Case(label, f.name, ((f.name, v),)) for label, v in _choice_cases(f)]
        elif f.kind == "number":
            cases += [Case(label, f.name, ((f.name, v),)) for label, v in _number_cases(f)]
        elif f.kind == "hidden" and f.name != "csrfmiddlewaretoken":
            cases += [
                Case("wrong type (hidden tampered)", f.name, ((f.name, "99999999999999999999999"),)),
                Case("NUL", f.name, ((f.name, f.value + "\x00"),)),
                Case("script", f.name, ((f.name, SCRIPT),)),
            ]
        elif f.kind == "date-part":
            stem = f.name.rsplit("_", 1)[0]
            if stem in dates_done:
                continue
            dates_done.add(stem)
            parts = {p: f"{stem}_{p}" for p in ("day", "month", "year") if f"{stem}_{p}" in form.fields}

            def date(day: Value, month: Value, year: Value, parts: dict[str, str] = parts) -> tuple:
                values = {"day": day, "month": month, "year": year}
                return tuple((name, values[p]) for p, name in parts.items())

            cases += [
                Case("empty", stem, date("", "", "")),
                Case("wrong type (impossible date 31/02)", stem, date("31", "2", "2026")),
                Case("wrong type (text)", stem, date("first", "May", "next year")),
                Case("wrong type (huge day)", stem, date("99999999999999999999", "1", "2026")),
                Case("wrong type (year 0)", stem, date("1", "1", "0000")),
                Case("wrong type (negative)", stem, date("-1", "-1", "-2026")),
                Case("NUL", stem, date("1\x00", "1", "2026")),
                Case("unicode (non-ASCII digits)", stem, date("١", "٢", "٢٠٢٦")),
            ]
    return cases


def apply(pairs: list[tuple[str, Value]], case: Case) -> list[tuple[str, Value]]:
    """The baseline with the case's fields replaced (a multi-valued field loses its other values)."""
    replaced = {name for name, _ in case.values}
    return [(k, v) for k, v in pairs if k not in replaced] + list(case.values)


def encode(pairs: list[tuple[str, Value]]) -> bytes:
    """application/x-www-form-urlencoded, by hand: str as UTF-8, bytes as they are (invalid UTF-8 included)."""

    def one(value: Value) -> str:
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        return quote_from_bytes(raw, safe="")

    return "&".join(f"{one(k)}={one(v)}" for k, v in pairs).encode("ascii")


def table_counts(connection: Any) -> dict[str, int]:
    """Row counts of every table of the service's apps (and the audit trail), in one query."""
    from tests.hardening.fuzz_api import table_counts as counts

    return counts(connection)
