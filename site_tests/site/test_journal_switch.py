"""A clinic copy with `journal: false`: no journal page, no header or nav entry, no link from a
condition page, nothing of it precached; the default build has all of them, with its own
numbers in the journal's red results."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from site_tests.conftest import PROJECT_ROOT, build_site

pytestmark = pytest.mark.build

EXAMPLE = PROJECT_ROOT / "clinics" / "example"
ACHILLES = "mid-portion-achilles-tendinopathy"  # in the example clinic's subset, with a plan


def test_a_clinic_can_turn_the_journal_off(tmp_path: Path) -> None:
    clinic = tmp_path / "clinics" / "no-journal"
    shutil.copytree(EXAMPLE, clinic)
    settings = clinic / "clinic.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "journal: false\n", "utf-8")
    site = tmp_path / "site"
    result = build_site(site, HANDBOOK_CLINIC=str(clinic))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "journal").exists()
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert pages
    for html in pages:
        assert "hb-journal-open" not in html  # the header link
        # No nav entry and no condition-page link: nothing points at a journal page.
        assert not re.search(r'href="[^"]*journal/"', html)
    assert '"journal/index.html"' not in (site / "sw.js").read_text(encoding="utf-8")


def test_the_default_copy_has_the_journal_everywhere(built_site: Path) -> None:
    journal = (built_site / "journal" / "index.html").read_text(encoding="utf-8")
    assert "data-hb-journal" in journal
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*journal/"', home)  # what the copy without it must not have
    assert 'class="md-header__button md-icon hb-journal-open" aria-label="My recovery"' in home
    condition = (built_site / "conditions" / ACHILLES / "index.html").read_text(encoding="utf-8")
    assert 'href="../../journal/">My recovery</a>' in condition
    assert '"journal/index.html"' in (built_site / "sw.js").read_text(encoding="utf-8")
