"""Clinic copies: loading, messages for mistakes, the passing clinics, colours and CSS.

Each clinic rule's own fixture is checked by site_tests/test_rule_fixtures.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from macros.clinic.colour import contrast_ratio, readable_shade, slate_background
from macros.clinic.loader import load_clinic
from macros.clinic.model import HANDBOOK_ACCENT, HANDBOOK_PRIMARY, Clinic, ClinicFile
from macros.clinic.subset import selected_conditions
from macros.clinic.theme import brand_css
from site_tests.conftest import PROJECT_ROOT
from site_tests.rule_fixtures import known_conditions_and_regions

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = PROJECT_ROOT / "clinics" / "example"
CLINIC_B = FIXTURES / "passing" / "clinic-b"
EXAMPLE_CONDITIONS = {
    "mid-portion-achilles-tendinopathy",
    "medial-tibial-stress-syndrome",
    "patellofemoral-pain",
    "plantar-heel-pain",
}

# A clinic file that passes every rule; tests below break one line of it at a time.
VALID = """\
name: Fixture Physio
short_name: Fixture
logo: logo.svg
contacts:
  phone: '01632 960000'
emergency:
  emergency_number: '999'
site_url: https://fixture-physio.example/
"""


@pytest.fixture(scope="module")
def known() -> tuple[dict[str, str], set[str]]:
    return known_conditions_and_regions()


@pytest.fixture(scope="module")
def known_conditions(known: tuple[dict[str, str], set[str]]) -> dict[str, str]:
    return known[0]


@pytest.fixture(scope="module")
def known_regions(known: tuple[dict[str, str], set[str]]) -> set[str]:
    return known[1]


def _clinic_folder(root: Path, clinic_id: str, text: str) -> Path:
    """clinics/<id>/ under `root`, with clinic.yml and the example's logo and extra page."""
    folder = root / "clinics" / clinic_id
    folder.mkdir(parents=True)
    (folder / "clinic.yml").write_text(text, encoding="utf-8")
    for name in ("logo.svg", "our-team.md"):
        shutil.copy(EXAMPLE / name, folder / name)
    return folder


def _load(
    folder: Path, root: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> tuple[Clinic | None, list[str]]:
    clinic, problems = load_clinic(
        folder, known_conditions=known_conditions, known_regions=known_regions, root=root
    )
    return clinic, [str(problem) for problem in problems]


def test_every_problem_in_the_file_is_reported_in_one_run(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    """Shape errors do not hide the clinic rules: one run lists everything, sorted by place."""
    text = """\
short_name: Broken
logo: logo.jpg
colours:
  primary: teal
  accent: '#ff8fa3'
contacts:
  phone: '01632 960000'
  booking_url: www.broken.example
emergency:
  emergency_number: '999'
include:
  regions: [elbow]
  conditions: [no-such-condition]
extra_pages:
  - title: Prices
    file: prices.md
site_url: https://broken.example/handbook
fax: '01632 960001'
"""
    folder = _clinic_folder(tmp_path, "broken", text)
    clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert clinic is None
    assert [line.split(": ")[1].split()[0] for line in printed] == [
        "HB102",  # name, at the top of the mapping
        "HB605",  # logo.jpg
        "HB601",  # teal
        "HB602",  # the accent is a dark-mode pink: too light on white
        "HB607",  # booking_url
        "HB604",  # elbow
        "HB603",  # no-such-condition
        "HB606",  # prices.md
        "HB607",  # site_url has no trailing /
        "HB104",  # fax
    ]
    assert printed[-2] == (
        "clinics/broken/clinic.yml:17:11: HB607 site_url 'https://broken.example/handbook' "
        "must end with '/', i.e. 'https://broken.example/handbook/'"
    )
    assert printed[-1] == "clinics/broken/clinic.yml:18:1: HB104 unknown key 'fax'"


def test_wrong_types_do_not_crash_the_clinic_rules(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    text = VALID + "include: knee\nextra_pages: our-team.md\ncolours: [red]\n"
    folder = _clinic_folder(tmp_path, "types", text)
    _clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert {line.split(": ")[1].split()[0] for line in printed} == {"HB103"}
    assert len(printed) == 3


def test_a_missing_clinic_file_is_reported_not_raised(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    folder = tmp_path / "clinics" / "empty"
    folder.mkdir(parents=True)
    clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert clinic is None
    assert printed == [
        "clinics/empty/clinic.yml:1:1: HB100 cannot read the file: No such file or directory"
    ]


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        pytest.param(
            "short_name: Fixture",
            "short_name: Fixture Physio Clinic",
            "2:13: HB105 'short_name': String should have at most 12 characters",
            id="short-name-too-long",
        ),
        pytest.param(
            "  phone: '01632 960000'",
            "  phone: '01632 960000'\n  email: 01632 960001",
            "6:10: HB105 'contacts.email': should be an email address, "
            "e.g. 'reception@clinic.example'",
            id="email-not-an-email",
        ),
        pytest.param(
            "  emergency_number: '999'",
            "  emergency_number: 999 or 112",
            "7:21: HB105 'emergency.emergency_number': should be the short number people dial, "
            "digits only, e.g. '999', '911' or '112'",
            id="emergency-number-words",
        ),
        pytest.param(
            "  emergency_number: '999'",
            "  emergency_number: 999",
            "7:21: HB103 'emergency.emergency_number': input should be a valid string, got int",
            id="emergency-number-unquoted",
        ),
        pytest.param(
            "  emergency_number: '999'",
            "  emergency_number: '999'\n  urgent_label: NHS 111",
            "7:3: HB105 'emergency': urgent_label names urgent_number, so give urgent_number too",
            id="urgent-label-without-number",
        ),
        pytest.param(
            "site_url:",
            "colours:\n  primary: #0b5d57\nsite_url:",
            "9:11: HB105 'colours.primary': is empty: YAML reads an unquoted # as a comment, "
            "so put the colour in quotes, e.g. '#17466e'",
            id="colour-unquoted",
        ),
        pytest.param(
            "site_url:",
            "include: {}\nsite_url:",
            "8:10: HB105 'include': list at least one region or condition, or leave include out "
            "to show them all",
            id="include-empty",
        ),
        pytest.param(
            "  phone: '01632 960000'",
            "  phone: '01632 960000'\n  booking_url: ftp://book.example",
            "6:16: HB607 contacts.booking_url 'ftp://book.example' is not a full web address; "
            "write it with https:// in front, e.g. 'https://clinic.example/book'",
            id="booking-url-ftp",
        ),
        pytest.param(
            "logo: logo.svg",
            "logo: logo.gif",
            "3:7: HB605 logo 'logo.gif' must be an .svg or .png file",
            id="logo-gif",
        ),
        pytest.param(
            "logo: logo.svg",
            "logo: ../example/logo.svg",
            "3:7: HB605 logo '../example/logo.svg' must be a file inside clinics/fixture/",
            id="logo-outside-folder",
        ),
        pytest.param(
            "logo: logo.svg",
            "logo: our-team.png",
            "3:7: HB605 logo 'our-team.png' is not a file in clinics/fixture/; "
            "add it or fix the name",
            id="logo-png-missing",
        ),
        pytest.param(
            "site_url:",
            "extra_pages:\n  - {title: Team, file: our-team.txt}\nsite_url:",
            "9:25: HB606 extra page 'our-team.txt' must be a Markdown file ending in .md",
            id="extra-page-not-markdown",
        ),
        pytest.param(
            "site_url: https://fixture-physio.example/",
            "site_url: 'https://x.example/\"><script>alert(1)</script>/'",
            "8:11: HB607 site_url 'https://x.example/\"><script>alert(1)</script>/' must not "
            "contain spaces, quotes, angle brackets, backslashes or control characters",
            id="site-url-closes-the-canonical-link",  # issue 11, case 1
        ),
    ],
)
def test_other_clinic_mistakes_have_clear_messages(
    *,
    replace: str,
    by: str,
    expected: str,
    tmp_path: Path,
    known_conditions: dict[str, str],
    known_regions: set[str],
) -> None:
    assert replace in VALID
    folder = _clinic_folder(tmp_path, "fixture", VALID.replace(replace, by, 1))
    _clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert printed == [f"clinics/fixture/clinic.yml:{expected}"]


def test_a_logo_that_is_not_really_a_png_is_refused(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    folder = _clinic_folder(tmp_path, "fixture", VALID.replace("logo.svg", "logo.png"))
    shutil.copy(EXAMPLE / "logo.svg", folder / "logo.png")
    _clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert printed == [
        "clinics/fixture/clinic.yml:3:7: HB605 logo 'logo.png' is not really PNG image data"
    ]


# --- the passing clinics ----------------------------------------------------------------


def test_the_example_clinic_loads_clean(
    known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    clinic, printed = _load(EXAMPLE, PROJECT_ROOT, known_conditions, known_regions)
    assert printed == []
    assert clinic is not None
    assert clinic.id == "example"
    assert clinic.name == "Riverside Sports Physio"
    assert clinic.logo_path.is_file()
    assert [clinic.page_path(page).is_file() for page in clinic.extra_pages] == [True]
    assert (clinic.emergency.emergency_number, clinic.emergency.urgent_number) == ("999", "111")
    assert clinic.emergency.urgent_label == "NHS 111"
    assert clinic.site_url == "https://riverside-physio.example/handbook/"
    assert selected_conditions(clinic, known_conditions) == EXAMPLE_CONDITIONS


def test_the_example_explains_every_key_to_a_clinic_manager() -> None:
    """The comment block at the top of the example is the clinic's manual: keep it complete."""
    text = (EXAMPLE / "clinic.yml").read_text(encoding="utf-8")
    notes = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for name in ClinicFile.model_fields:
        assert re.search(rf"^# {name}\b", notes, re.MULTILINE), f"{name} is not explained"


def test_clinic_b_loads_clean_with_a_png_logo_and_regions(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    folder = tmp_path / "clinics" / "clinic-b"
    shutil.copytree(CLINIC_B, folder)
    clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert printed == []
    assert clinic is not None
    assert clinic.logo_path.suffix == ".png"
    assert clinic.emergency.emergency_number == "911"
    assert clinic.emergency.urgent_number is None
    selected = selected_conditions(clinic, known_conditions)
    in_regions = {slug for slug, region in known_conditions.items() if region in {"hip", "knee"}}
    assert selected == in_regions | {"plantar-heel-pain"}
    assert "medial-tibial-stress-syndrome" not in selected


def test_a_clinic_without_include_shows_every_condition(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    folder = _clinic_folder(tmp_path, "fixture", VALID)
    clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert printed == []
    assert clinic is not None
    assert (clinic.colours.primary, clinic.colours.accent) == (HANDBOOK_PRIMARY, HANDBOOK_ACCENT)
    assert selected_conditions(clinic, known_conditions) == set(known_conditions)


def test_a_clinic_is_frozen(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    clinic, _printed = _load(
        _clinic_folder(tmp_path, "fixture", VALID), tmp_path, known_conditions, known_regions
    )
    assert clinic is not None
    with pytest.raises(ValueError, match="frozen"):
        clinic.name = "Someone else"  # type: ignore[misc]


# --- colours and CSS --------------------------------------------------------------------


def test_contrast_ratio_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#17466e", "#17466e") == pytest.approx(1.0)
    assert contrast_ratio("#fff", "#000") == contrast_ratio("#ffffff", "#000000")
    # #777777 on white is the classic "just fails AA" grey.
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # handbook.css says white on its primary is 9.6:1.
    assert contrast_ratio("#ffffff", "#17466e") == pytest.approx(9.8, abs=0.1)


def test_contrast_ratio_refuses_what_is_not_a_colour() -> None:
    with pytest.raises(ValueError, match="not a #rrggbb or #rgb colour"):
        contrast_ratio("teal", "#ffffff")


def test_the_slate_background_is_materials() -> None:
    assert slate_background() == "#1e2129"


@pytest.mark.parametrize("colour", ["#000000", "#0b5d57", "#6b21a8", "#a3122f", "#7fb3d5"])
def test_readable_shade_reaches_aa_on_slate(colour: str) -> None:
    shade = readable_shade(colour, slate_background())
    assert contrast_ratio(shade, slate_background()) >= 4.5


def test_the_handbook_defaults_match_handbook_css() -> None:
    css = (PROJECT_ROOT / "docs/assets/stylesheets/handbook.css").read_text(encoding="utf-8")
    assert f"--md-primary-fg-color: {HANDBOOK_PRIMARY};" in css
    assert f"--md-accent-fg-color: {HANDBOOK_ACCENT};" in css


def _colour_rules(css: str) -> dict[str, str]:
    """Selector list -> declarations, for the rules before the print block."""
    screen = re.sub(r"/\*.*?\*/", "", css.partition("@media print")[0], flags=re.DOTALL)
    return {
        " ".join(selectors.split()): body
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", screen)
    }


def _variable(block: str, name: str) -> str:
    match = re.search(rf"{re.escape(name)}: ([^;]+);", block)
    assert match, f"{name} is not set"
    return match.group(1)


@pytest.mark.parametrize("folder", [EXAMPLE, CLINIC_B], ids=["example", "clinic-b"])
def test_brand_css_covers_both_schemes_and_print(
    folder: Path, tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    copy = tmp_path / "clinics" / folder.name
    shutil.copytree(folder, copy)
    clinic, printed = _load(copy, tmp_path, known_conditions, known_regions)
    assert clinic is not None, printed
    css = brand_css(clinic)
    rules = _colour_rules(css)
    light = rules[':root, [data-md-color-scheme="default"], [data-md-color-scheme="slate"]']
    dark = rules['[data-md-color-scheme="slate"]']
    assert _variable(light, "--md-primary-fg-color") == clinic.colours.primary
    assert _variable(light, "--md-typeset-a-color") == clinic.colours.primary
    assert _variable(light, "--md-accent-fg-color") == clinic.colours.accent
    for shade in ("--md-primary-fg-color--light", "--md-primary-fg-color--dark"):
        assert re.fullmatch(r"#[0-9a-f]{6}", _variable(light, shade))
    for name in ("--md-typeset-a-color", "--md-accent-fg-color"):
        assert contrast_ratio(_variable(dark, name), slate_background()) >= 4.5
    assert "--hb-danger" not in css  # red flags stay the handbook's red
    print_rules = css[css.index("@media print") :]
    assert clinic.name in print_rules
    assert clinic.contacts.phone in print_rules


def test_brand_css_escapes_clinic_text(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    # Names cannot hold markup (HB105), but an address can hold quotes, backslashes and "<".
    text = VALID.replace(
        "  phone: '01632 960000'",
        "  phone: '01632 960000'\n  address: '\"Quoted\" \\ Lane </style>'",
        1,
    )
    clinic, printed = _load(
        _clinic_folder(tmp_path, "fixture", text), tmp_path, known_conditions, known_regions
    )
    assert clinic is not None, printed
    css = brand_css(clinic)
    assert '\\"Quoted\\" \\\\ Lane \\3c /style>' in css
    assert "</style>" not in css


@pytest.mark.parametrize(
    ("replace", "by", "where"),
    [
        pytest.param("logo: logo.svg", 'logo: "logo\\0.svg"', "3:7: HB605 logo", id="logo"),
        pytest.param(
            "site_url:",
            'extra_pages:\n  - {title: Team, file: "team\\0.md"}\nsite_url:',
            "9:25: HB606 extra page",
            id="extra-page",
        ),
    ],
)
def test_a_nul_in_a_file_name_is_a_located_error(
    *,
    replace: str,
    by: str,
    where: str,
    tmp_path: Path,
    known_conditions: dict[str, str],
    known_regions: set[str],
) -> None:
    """The operating system refuses a path with a NUL byte; the name is refused at its line."""
    folder = _clinic_folder(tmp_path, "fixture", VALID.replace(replace, by, 1))
    clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert clinic is None
    assert f"clinics/fixture/clinic.yml:{where} " in "\n".join(printed)
    assert "control character" in "\n".join(printed)


def test_a_folder_name_cannot_end_the_css_comment(
    tmp_path: Path, known_conditions: dict[str, str], known_regions: set[str]
) -> None:
    """The clinic's folder name is printed in a CSS comment; `*/` in it must not close it."""
    folder = _clinic_folder(tmp_path, "x*/ body{display:none} /*", VALID)
    clinic, printed = _load(folder, tmp_path, known_conditions, known_regions)
    assert clinic is not None, printed
    css = brand_css(clinic)
    assert "display:none" not in css
    assert css.count("*/") == css.count("/*")
