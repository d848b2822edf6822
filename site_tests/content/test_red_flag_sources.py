"""Red flags carry their sources to the page, and the flags the safety review added stay."""

from __future__ import annotations

import pytest
from markupsafe import escape

from macros.content.loader import PROJECT_ROOT, Handbook, load_handbook
from macros.content.model import CLINICAL_KINDS
from macros.pages.render import render_condition


@pytest.fixture(scope="module")
def book() -> Handbook:
    loaded, problems = load_handbook(PROJECT_ROOT / "content")
    assert problems == []
    assert loaded is not None
    return loaded


def test_every_condition_page_lists_the_source_of_each_red_flag(book: Handbook) -> None:
    for slug, condition in book.conditions.items():
        page = render_condition(book, slug)
        references = page.split("## References", 1)[1]
        for flag in condition.red_flags:
            title = str(escape(book.references[flag.reference].title))
            assert title in references, f"{slug}: source of '{flag.id}' is not listed"


def test_calf_strain_sends_clot_in_the_lung_and_compartment_signs_to_emergency(
    book: Handbook,
) -> None:
    calf = book.conditions["calf-strain"]
    emergency = " ".join(f.text for f in calf.red_flags if f.urgency == "emergency")
    for sign in ("short of breath", "chest pain", "cough up blood", "rock hard"):
        assert sign in emergency
    assert calf.urgent_notice is not None
    assert "emergency" in calf.urgent_notice


@pytest.mark.parametrize(
    "slug",
    [
        "calf-strain",
        "chronic-exertional-compartment-syndrome",
        "insertional-achilles-tendinopathy",
        "mid-portion-achilles-tendinopathy",
        "medial-tibial-stress-syndrome",
        "tibial-stress-fracture",
    ],
)
def test_lower_leg_pages_ask_about_a_clot_the_same_day(book: Handbook, slug: str) -> None:
    flags = book.conditions[slug].red_flags
    clot = [f for f in flags if "swollen" in f.text and "warm" in f.text]
    assert clot, f"{slug} has no calf-swelling flag"
    assert all(f.urgency in ("emergency", "same_day") for f in clot)
    assert all(book.references[f.reference].kind in CLINICAL_KINDS for f in clot)


@pytest.mark.parametrize(
    "slug", ["sciatica", "low-back-pain", "piriformis-syndrome", "sacroiliac-joint-pain"]
)
def test_back_and_buttock_pages_treat_cauda_equina_signs_as_emergency(
    book: Handbook, slug: str
) -> None:
    emergency = " ".join(
        f.text.lower() for f in book.conditions[slug].red_flags if f.urgency == "emergency"
    )
    assert "between your legs" in emergency
    assert "bladder" in emergency
    assert "both legs" in emergency


def test_serious_flags_graded_expert_opinion_say_why(book: Handbook) -> None:
    """A D on an emergency or same-day flag means no direct source exists; the note says so."""
    for slug, condition in book.conditions.items():
        for flag in condition.red_flags:
            if flag.urgency != "soon" and flag.grade == "D":
                assert flag.note is not None, f"{slug}: '{flag.id}' is graded D with no note"
                assert flag.note.startswith("Expert opinion"), f"{slug}: '{flag.id}'"


# One finding, one urgency on every page that asks about it (safety review of issue 10).
SAME_FINDING = {
    "foot drop or a weak, dragging foot": (
        "same_day",
        [
            ("iliotibial-band-syndrome", "foot-drop"),
            ("chronic-ankle-instability", "foot-drop"),
            ("tarsal-tunnel-syndrome", "foot-weakness"),
            ("sciatica", "foot-drop-weakness"),
            ("piriformis-syndrome", "foot-drop-weakness"),
        ],
    ),
    "dark, cola-coloured urine after hard exercise": (
        "emergency",
        [
            ("delayed-onset-muscle-soreness", "dark-urine"),
            ("exercise-associated-muscle-cramps", "dark-urine"),
        ],
    ),
    "hip pain and cannot bear weight (possible broken hip)": (
        "emergency",
        [
            ("femoral-neck-stress-fracture", "fall-or-cannot-stand"),
            ("greater-trochanteric-pain-syndrome", "fall-cannot-bear-weight"),
            ("hip-osteoarthritis", "sudden-cannot-bear-weight"),
        ],
    ),
}


@pytest.mark.parametrize("finding", sorted(SAME_FINDING))
def test_one_finding_keeps_one_urgency_on_every_page(book: Handbook, finding: str) -> None:
    urgency, flags = SAME_FINDING[finding]
    for slug, flag_id in flags:
        flag = next((f for f in book.conditions[slug].red_flags if f.id == flag_id), None)
        assert flag is not None, f"{slug}: red flag '{flag_id}' is gone"
        assert flag.urgency == urgency, (finding, slug, flag.urgency)
        assert book.references[flag.reference].kind in CLINICAL_KINDS, (slug, flag.reference)


def test_a_possible_broken_hip_cites_a_hip_fracture_source(book: Handbook) -> None:
    """A fall fracture is not a stress fracture: the hip flags cite the hip fracture guideline."""
    for slug, flag_id in SAME_FINDING["hip pain and cannot bear weight (possible broken hip)"][1]:
        flag = next(f for f in book.conditions[slug].red_flags if f.id == flag_id)
        assert flag.reference == "nice-cg124", (slug, flag.reference)
