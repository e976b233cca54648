"""A format-free architecture description: sections of facts, tables, lists and a diagram.

`collect` fills a `Document` from the database; `render` writes it as HTML, DOCX or PDF. All
three formats read the same `Document`, so they say the same thing, and `content_sha256` (the
hash printed in every format's stamp) covers exactly what they say.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db import models


@dataclass
class Cell:
    """One value in a table or a fact: text, an optional link, and whether it needs attention."""

    text: str
    url: str = ""
    warn: bool = False

    def __str__(self) -> str:
        return self.text


def cell(value: object, url: str = "", warn: bool = False) -> Cell:
    if isinstance(value, Cell):
        return value
    return Cell("—" if value is None or value == "" else str(value), url, warn)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""

    def add(self, *values: object) -> None:
        self.rows.append([cell(v) for v in values])


@dataclass
class Section:
    key: str
    title: str
    text: str = ""  # an introductory paragraph
    facts: list[tuple[str, Cell]] = field(default_factory=list)  # label → value pairs
    tables: list[Table] = field(default_factory=list)
    items: list[Cell] = field(default_factory=list)  # a bulleted list
    empty: str = ""  # said when the section has nothing else
    diagram: bool = False  # the dependency diagram goes here

    def fact(self, label: str, value: object, warn: bool = False) -> None:
        self.facts.append((label, cell(value, warn=warn)))

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.facts or any(t.rows for t in self.tables) or self.items
                    or self.diagram)


@dataclass
class Stamp:
    """What identifies one generation: when, from which data, and the hash of the content."""

    generated: datetime
    data_version: int
    sha256: str
    generator: str = ""

    @property
    def label(self) -> str:
        return f"v{self.data_version}-{self.sha256[:12]}"


@dataclass
class Diagram:
    """One dependency diagram: a title ("" when the whole graph fits in one) and its Graphviz
    source, with the edges it draws as a table for the appendix."""

    title: str
    dot: str
    edges: Table


@dataclass
class Document:
    kind: str  # "system" or "infrastructure"
    code: str  # what the audit trail and file names call it (the system code, or "infrastructure")
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    diagrams: list[Diagram] = field(default_factory=list)  # each readable on an A4 page
    diagram_note: str = ""  # why there is no picture, when there is none
    stamp: Stamp | None = None
    target: models.Model | None = None  # the object the description is about (the system), for the audit trail

    def section(self, key: str, title: str, **values: Any) -> Section:
        section = Section(key=key, title=title, **values)
        self.sections.append(section)
        return section

    def content(self) -> dict:
        """What the document says, as plain JSON values (no stamp, no generation time)."""
        return {
            "kind": self.kind, "code": self.code, "title": self.title, "subtitle": self.subtitle,
            "sections": [asdict(s) for s in self.sections],
            "diagrams": [asdict(d) for d in self.diagrams], "diagram_note": self.diagram_note,
        }

    def content_sha256(self) -> str:
        encoded = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()

    @property
    def file_stem(self) -> str:
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.code)
        return f"architektura-{safe}"
