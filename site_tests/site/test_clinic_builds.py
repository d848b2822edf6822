"""Clinic copies: two branded builds and the unbranded default, checked file by file."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from macros.browser.search_index import indexed_pages
from macros.content.loader import CONTENT_DIR
from site_tests.conftest import PROJECT_ROOT, build_site

pytestmark = pytest.mark.build

EXAMPLE = PROJECT_ROOT / "clinics" / "example"
CLINIC_B = PROJECT_ROOT / "site_tests" / "clinic" / "fixtures" / "passing" / "clinic-b"
EXAMPLE_CONDITIONS = {
    "mid-portion-achilles-tendinopathy",
    "medial-tibial-stress-syndrome",
    "patellofemoral-pain",
    "plantar-heel-pain",
}


def _build(tmp_path_factory: pytest.TempPathFactory, clinic: Path) -> Path:
    site = tmp_path_factory.mktemp(clinic.name)
    result = build_site(site, HANDBOOK_CLINIC=str(clinic))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, EXAMPLE)


@pytest.fixture(scope="module")
def clinic_b_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, CLINIC_B)


def _condition_pages(site: Path) -> set[str]:
    return {p.name for p in (site / "conditions").iterdir() if p.is_dir()}


def _search_locations(site: Path) -> set[str]:
    return {url.lstrip("/") for url in indexed_pages(site)}


def _precached(site: Path) -> str:
    return (site / "sw.js").read_text()


def test_example_clinic_is_branded_everywhere(example_site: Path) -> None:
    """Name, colours, logo, contacts, numbers, manifest and icons are the clinic's."""
    home = (example_site / "index.html").read_text()
    assert "<title>Riverside Sports Physio</title>" in home
    assert "assets/clinic/logo.svg" in home
    assert 'href="tel:01632960123"' in home
    assert "reception@riverside-physio.example" in home
    assert "follow the plan your physiotherapist gave you" in home
    css = (example_site / "assets" / "stylesheets" / "clinic.css").read_text()
    assert "#0b5d57" in css
    assert '[data-md-color-scheme="slate"]' in css
    assert "@media print" in css
    page = (example_site / "conditions" / "plantar-heel-pain" / "index.html").read_text()
    assert "For urgent advice, call NHS 111 on 111." in page
    manifest = json.loads((example_site / "manifest.webmanifest").read_text())
    assert (manifest["name"], manifest["short_name"], manifest["theme_color"]) == (
        "Riverside Sports Physio",
        "Riverside",
        "#0b5d57",
    )
    assert manifest["scope"] == "/handbook/"
    for icon in manifest["icons"]:
        size = int(icon["sizes"].split("x")[0])
        with Image.open(example_site / icon["src"]) as image:
            assert image.size == (size, size)
    assert '<meta name="theme-color" content="#0b5d57">' in home


def test_example_clinic_holds_only_its_conditions(example_site: Path) -> None:
    """Pages, search, regions, the red-flag index and the precache leave the others out."""
    assert _condition_pages(example_site) == EXAMPLE_CONDITIONS
    condition_hits = {
        loc.split("/")[1]
        for loc in _search_locations(example_site)
        if loc.startswith("conditions/")
    }
    assert condition_hits == EXAMPLE_CONDITIONS
    precache = _precached(example_site)
    assert "conditions/calf-strain/" not in precache
    assert "conditions/plantar-heel-pain/index.html" in precache
    clinician = (example_site / "when-to-see-a-clinician" / "index.html").read_text()
    linked = set(re.findall(r'href="\.\./conditions/([a-z0-9-]+)/"', clinician))
    assert linked <= EXAMPLE_CONDITIONS
    assert not (example_site / "regions" / "hip").exists()
    assert _chunked_conditions(example_site) == EXAMPLE_CONDITIONS
    assert '"assets/calculators/conditions/plantar-heel-pain-' in precache


def _chunked_conditions(site: Path) -> set[str]:
    """The conditions the copy ships calculator data for: one chunk each, named by slug."""
    chunks = (site / "assets" / "calculators" / "conditions").glob("*.json")
    return {slug for chunk in chunks for slug in json.loads(chunk.read_text())["conditions"]}


def test_clinic_b_uses_its_regions_and_numbers(clinic_b_site: Path) -> None:
    """Region-based include, a PNG logo, US numbers, and none of the example's extra pages."""
    pages = _condition_pages(clinic_b_site)
    assert "plantar-heel-pain" in pages
    assert "athletic-pubalgia" in pages
    assert "mid-portion-achilles-tendinopathy" not in pages
    assert not any(
        loc.startswith("conditions/mid-portion") for loc in _search_locations(clinic_b_site)
    )
    assert not (clinic_b_site / "clinic" / "our-team").exists()
    clinician = (clinic_b_site / "when-to-see-a-clinician" / "index.html").read_text()
    assert "Call 911 now" in clinician
    manifest = json.loads((clinic_b_site / "manifest.webmanifest").read_text())
    assert manifest["name"] == "Lakeshore Running Clinic"
    assert (clinic_b_site / "assets" / "clinic" / "logo.png").is_file()


def test_default_build_has_no_clinic_leftovers(built_site: Path) -> None:
    """The unbranded handbook names no clinic and uses generic emergency wording."""
    home = (built_site / "index.html").read_text()
    assert "Riverside" not in home
    assert "hb-clinic-footer" not in home
    assert not (built_site / "assets" / "stylesheets" / "clinic.css").exists()
    assert not (built_site / "assets" / "clinic").exists()
    clinician = (built_site / "when-to-see-a-clinician" / "index.html").read_text()
    assert "Call your local emergency number now" in clinician
    manifest = json.loads((built_site / "manifest.webmanifest").read_text())
    assert manifest["name"] == "Runner's Injury Handbook"


def test_a_broken_clinic_builds_nothing(tmp_path: Path) -> None:
    """A bad clinic file gives located errors, and an earlier build is not left looking good."""
    clinic = tmp_path / "clinics" / "broken"
    shutil.copytree(EXAMPLE, clinic)
    config = clinic / "clinic.yml"
    config.write_text(
        config.read_text()
        .replace("primary: '#0b5d57'", "primary: '#7fb3d5'")
        .replace("name: Riverside Sports Physio\n", "")
    )
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)  # e.g. a gh-pages checkout: never ours to delete
    (site / "sitemap.xml").write_text("<urlset/>")  # an earlier, successful build
    (site / "conditions").mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "macros", "build", "--clinic", str(clinic), "--site-dir", str(site)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "HB102 missing required field 'name'" in run.stdout
    assert "HB602 colours.primary '#7fb3d5' has contrast" in run.stdout
    assert "clinic.yml:" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert [entry.name for entry in site.iterdir()] == [".git"]


def test_content_is_not_copied_into_clinic_folders() -> None:
    """A clinic needs only its own folder: no core file is edited or duplicated there."""
    assert sorted(p.name for p in EXAMPLE.iterdir()) == ["clinic.yml", "logo.svg", "our-team.md"]
    assert (CONTENT_DIR / "conditions" / "plantar-heel-pain.yml").is_file()


def test_clinic_text_never_becomes_markup(tmp_path: Path) -> None:
    """Quotes and tags in a clinic's disclaimer and address are shown as text."""
    clinic = tmp_path / "clinics" / "quoted"
    shutil.copytree(EXAMPLE, clinic)
    config = clinic / "clinic.yml"
    config.write_text(
        config.read_text().replace(
            "disclaimer: >", 'disclaimer: >\n  <script>alert(1)</script> "quoted" &'
        )
    )
    site = tmp_path / "site"
    result = build_site(site, HANDBOOK_CLINIC=str(clinic))
    assert result.returncode == 0, result.stdout + result.stderr
    home = (site / "index.html").read_text()
    assert "<script>alert(1)</script>" not in home
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp;" in home
