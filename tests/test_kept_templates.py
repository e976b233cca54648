"""The suite keeps the migrated templates of the newest few codes (tests/support/databases.py)."""

from tests.support.databases import KEPT, _stale


def test_the_newest_codes_templates_are_kept_and_a_cut_short_one_is_not() -> None:
    assert KEPT == 3  # the newest two codes' templates, and the new one about to be made
    keys = ["code0", "code0-t1", "code1", "code2", "code2-t1", "code3", "code1_building"]  # oldest first
    assert _stale(keys) == ["code0", "code0-t1", "code1", "code1_building"]
