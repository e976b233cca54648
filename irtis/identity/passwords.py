"""Password rules beyond Django's own: common passwords in Lithuanian as well as English, and
passwords that are long only by repetition or by running along the keyboard.

Both validators fold a password before comparing it: case, diacritics ("slaptažodis" is
"slaptazodis"), surrounding spaces, and the digits and signs people add to a word to pass a
length rule ("Slaptazodis123!" is "slaptazodis").
"""

import re
import unicodedata
from pathlib import Path
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LITHUANIAN_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-lt.txt"
# Rows of the keyboards in use (English and Lithuanian layouts), the alphabet and the digits:
# a password that is one stretch of these, forwards or backwards, is a walk, not a secret.
SEQUENCES = (
    "`1234567890-=",
    "qwertyuiop[]",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "qwertyuiopasdfghjklzxcvbnm",
    "ąčęėįšųū90-ž",
    "abcdefghijklmnopqrstuvwxyz",
    "aąbcčdeęėfghiįyjklmnoprsštuųūvzž",
    "01234567890",
)
MIN_DISTINCT = 5


def fold(text: str) -> str:
    """Lower case, without diacritics or surrounding spaces."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _word(folded: str) -> str:
    """The word inside the digits and signs added around it: "123slaptazodis!" → "slaptazodis"."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", folded)


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords plus Lithuanian ones, compared folded."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        lines = LITHUANIAN_LIST.read_text(encoding="utf-8").splitlines()
        self.passwords |= {fold(line) for line in lines if line.strip() and not line.startswith("#")}

    def validate(self, password: str, user: Any = None) -> None:
        folded = fold(password)
        if {folded, _word(folded)} & self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")


class PredictablePasswordValidator:
    """Refuses a password of fewer than five different characters ("aaaaaaaaaaaa", twelve
    spaces) or one that runs along a keyboard row, the alphabet or the digits ("qwertyuiopas")."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password)) < MIN_DISTINCT:
            raise ValidationError(
                _("This password repeats too few characters: use at least %(count)d different ones.")
                % {"count": MIN_DISTINCT},
                code="password_too_repetitive",
            )
        walk = re.sub(r"\s", "", password.casefold())
        if len(walk) >= 4 and any(walk in row or walk[::-1] in row for row in SEQUENCES):
            raise ValidationError(
                _("This password runs along the keyboard or the alphabet."), code="password_sequence"
            )

    def get_help_text(self) -> str:
        return _("Your password can’t be a row of the keyboard or a few characters repeated.")
