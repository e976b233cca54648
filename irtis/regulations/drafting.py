"""The text of a regulating document: versions, their comparison and the comments on paragraphs.

    paragraphs(text)                         the Markdown's blocks, the numbered points of a version
    save(document, user, text, version)      a new numbered version, refused (`Conflict`) when the
                                             document changed since the editor read `version`
    diff(old, new)                           paragraph by paragraph, words marked inside changed ones
    placed(document, version)                the version's paragraphs with their comments, those
                                             made on earlier versions carried where the paragraph
                                             is unchanged; the others apart, as on an older version
    comment(version, user, paragraph, text) / resolve(comment, user, resolved)

Each write is a saved object (audited); a write the user may not make is `PermissionDenied`,
bad input a `ValidationError` naming the field.
"""

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.servicedesk.markdown import html

from .models import Comment, Document, Status, Version

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_WORDS = re.compile(r"(\s+)")
MAX_TEXT = 200_000


class Conflict(Exception):
    """Someone saved the document since the editor read it; `current` is the document now."""

    def __init__(self, current: Document) -> None:
        super().__init__(
            _(
                "Someone saved this document meanwhile (now version %(number)s): your text was not "
                "saved. It is shown below: merge it with the current text and save again."
            )
            % {"number": current.revision}
        )
        self.current = current


def paragraphs(text: str) -> list[str]:
    """The blocks of the Markdown text, separated by blank lines, each stripped."""
    blocks = _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [block.strip() for block in blocks if block.strip()]


def _may(user: Any, document: Document, action: str) -> None:
    if not permissions.restrict(Document.objects.filter(pk=document.pk), user, action).exists():
        raise PermissionDenied


def latest(document: Document) -> Version | None:
    return document.versions.filter(number=document.revision).first() if document.revision else None


def save(document: Document, user: Any, text: str, version: int | None, note: str = "") -> Version:
    """Save `text` as the document's next version. `version` is the document's version the editor
    read (a form's hidden field, the API's If-Match); a document in review or approved returns to
    draft, so that its route starts again for the new text."""
    _may(user, document, "change")
    points = paragraphs(text)
    if not points:
        raise ValidationError({"text": _("The text is empty: write at least one paragraph.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("The text is longer than %(max)s characters.") % {"max": MAX_TEXT}})
    if version is None:
        raise ValidationError(
            {"version": _("The version of the document you edited is missing: open the editor again.")}
        )
    with transaction.atomic():
        current = Document.objects.select_for_update().get(pk=document.pk)
        if current.version != version:
            raise Conflict(current)
        if current.status == Status.REPEALED:
            raise ValidationError({"text": _("A repealed document is not edited.")})
        last = latest(current)
        if last is not None and last.paragraphs == points:
            raise ValidationError({"text": _("The text is the same as version %(number)s.") % {"number": last.number}})
        made = Version(
            document=current,
            number=current.revision + 1,
            text=text.replace("\r\n", "\n"),
            paragraphs=points,
            author=user,
            note=note[:300],
        )
        made.full_clean()
        made.save()
        current.revision = made.number
        if current.status != Status.DRAFT:
            current.status = Status.DRAFT
        current.save()
    return made


@dataclass
class Row:
    status: str  # same, changed, added, removed
    old_number: int | None
    new_number: int | None
    marked: SafeString


def _marked(old: str, new: str) -> SafeString:
    """The new text with removed words struck through and added ones underlined, escaped."""
    a, b = _WORDS.split(old), _WORDS.split(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace") and "".join(a[i1:i2]).strip():
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace") and "".join(b[j1:j2]).strip():
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # every piece escaped above


def diff(old: Version, new: Version) -> list[Row]:
    """The paragraphs of `new` against `old`: unchanged, changed (words marked), added, removed."""
    if old.document_id != new.document_id:
        raise ValidationError(_("Versions of two different documents cannot be compared."))
    a, b = old.paragraphs, new.paragraphs
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [Row("same", i + 1, j + 1, escape(a[i])) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(olds), len(news))):
            i, j = (olds[k] if k < len(olds) else None), (news[k] if k < len(news) else None)
            if i is not None and j is not None:
                rows.append(Row("changed", i + 1, j + 1, _marked(a[i], b[j])))
            elif j is not None:
                rows.append(Row("added", None, j + 1, mark_safe(f"<ins>{escape(b[j])}</ins>")))
            elif i is not None:
                rows.append(Row("removed", i + 1, None, mark_safe(f"<del>{escape(a[i])}</del>")))
    return rows


@dataclass
class Paragraph:
    number: int
    text: str
    html: SafeString
    comments: list[Comment] = field(default_factory=list)


def _carried(old: list[str], new: list[str]) -> dict[int, int]:
    """Paragraph numbers of `old` → those of `new` where the paragraph is unchanged."""
    result = {}
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            result.update({i + 1: j + 1 for i, j in zip(range(i1, i2), range(j1, j2), strict=True)})
    return result


def placed(document: Document, version: Version) -> tuple[list[Paragraph], list[Comment]]:
    """The paragraphs of `version`, each with its comments (`comment.carried_from` is the earlier
    version a comment was made on), and the comments left on paragraphs changed since (two queries).
    Comments read their version's number, not its text."""
    shown = [Paragraph(n, text, mark_safe(html(text))) for n, text in enumerate(version.paragraphs, 1)]
    earlier = document.versions.filter(number__lt=version.number).values_list("number", "paragraphs")
    maps = {number: _carried(points, version.paragraphs) for number, points in earlier}
    older: list[Comment] = []
    for remark in (
        Comment.objects.filter(version__document=document, version__number__lte=version.number)
        .annotate(on_version=F("version__number"))
        .select_related("author", "resolved_by")
    ):
        number = remark.on_version
        remark.carried_from = number if number != version.number else None
        target = remark.paragraph if number == version.number else maps[number].get(remark.paragraph)
        if target is None or target > len(shown):
            older.append(remark)
        else:
            shown[target - 1].comments.append(remark)
    return shown, older


def comment(version: Version, user: Any, paragraph: int | None, text: str) -> Comment:
    """A reviewer's comment on a paragraph of a version of a document they may view."""
    _may(user, version.document, "view")
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    count = len(version.paragraphs)
    if paragraph is None or not 1 <= paragraph <= count:
        raise ValidationError(
            {
                "paragraph": _("Version %(number)s has paragraphs 1–%(count)s: there is no paragraph %(paragraph)s.")
                % {"number": version.number, "count": count, "paragraph": paragraph}
            }
        )
    made = Comment(version=version, paragraph=paragraph, text=text.strip()[:5000], author=user)
    made.full_clean()
    made.save()
    return made


def resolve(remark: Comment, user: Any, resolved: bool = True) -> Comment:
    """Mark a comment resolved (or open again): its author or whoever may change the document."""
    document = remark.version.document
    _may(user, document, "view")
    if remark.author_id != user.pk:
        _may(user, document, "change")
    remark.resolved, remark.resolved_by = resolved, user if resolved else None
    remark.save()
    return remark
