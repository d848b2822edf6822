"""The content model: the one place that says what a content file may contain.

Shape only. Rules that need more than one file (does this key exist? is this
alias unique?) live in `macros/lint/content_rules.py`. The JSON Schema in `content/schema/` is
generated from these classes (`python -m macros schema`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from calculators.vocabulary import Grade, Urgency

Key = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
    Field(description="A lower-case kebab-case key, e.g. `shin-calf-achilles`."),
]


def no_control_characters(text: str) -> str:
    # Invisible characters have no place in a page and can disguise what a line says;
    # YAML lets them in through escapes such as "\x1b". Tabs and line breaks are fine.
    if _CONTROL_CHARACTER.search(text):
        raise PydanticCustomError(
            "control_character", "must not contain control characters (only tabs and new lines)"
        )
    return text


# C0 and C1 controls and DEL, but not tab, line feed or carriage return: one regex search per
# value (content has hundreds of thousands of characters; a Python step for each was slow).
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


Text = Annotated[
    str,
    StringConstraints(min_length=1, strip_whitespace=True),
    AfterValidator(no_control_characters),
]


def no_markup(text: str) -> str:
    # MkDocs' theme templates print page titles and menu labels without escaping.
    if any(ch in text for ch in '<>"'):
        raise PydanticCustomError(
            "markup", 'must not contain <, > or " because it is shown in titles and menus'
        )
    return text


# Characters a URL never needs unencoded that could end an HTML attribute or a CSS string.
_UNSAFE_IN_URL = frozenset("\"'<>`\\ {}|^")
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})


UNSAFE_URL_MESSAGE = (
    "must not contain spaces, quotes, angle brackets, backslashes or control characters"
)


def has_unsafe_url_characters(text: str) -> bool:
    if _CONTROL_CHARACTER.search(text):
        return True
    return any(ch in _UNSAFE_IN_URL or ch.isspace() for ch in text)


def web_address_problem(text: str) -> str | None:
    """Why `text` cannot be a link or a site address, or None when it can: https:// only
    (http:// for a local preview), a host, and nothing that could break out of markup."""
    if has_unsafe_url_characters(text):
        return UNSAFE_URL_MESSAGE
    try:
        parts = urlsplit(text)
    except ValueError:
        return "is not a web address"
    local = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
    if not parts.hostname or not (parts.scheme == "https" or local):
        return "must be a web address starting with https://"
    return None


def _web_address(text: str) -> str:
    problem = web_address_problem(text)
    if problem is not None:
        raise PydanticCustomError("url", problem)
    return text


TitleText = Annotated[Text, AfterValidator(no_markup)]
# "What it is" is one short sentence, shown under the name on the first screen of a phone.
WHAT_IT_IS_MAX = 120
WebAddress = Annotated[Text, AfterValidator(_web_address)]
ReferenceKind = Literal["guideline", "peer_reviewed", "book", "patient_information", "web"]
# Kinds a clinician accepts as the basis for sending a runner to emergency or same-day care.
CLINICAL_KINDS: frozenset[str] = frozenset({"guideline", "peer_reviewed", "book"})
# Content dates arrive as text (see yaml_source); the model parses them.
ReviewDate = Annotated[date, Field(strict=False, description="ISO date, YYYY-MM-DD.")]


class StrictModel(BaseModel):
    """Unknown keys are errors and types are never coerced: content typos must surface."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RedFlag(StrictModel):
    id: Key = Field(description="Stable key; the self-check uses it as the answer's name.")
    text: Text = Field(description="What the runner notices, phrased as a yes/no statement.")
    urgency: Urgency = Field(
        description="emergency: call the emergency number now; same_day: be seen today; "
        "soon: book a clinician within days."
    )
    reference: Key = Field(
        description="The source for this flag (content/references.yml); emergency and "
        "same_day flags need a guideline or peer-reviewed source (HB307)."
    )
    grade: Grade = Field(
        description="How sure the flag is; D means expert opinion. Never stronger than "
        "its reference (HB306)."
    )
    note: Text | None = Field(
        default=None,
        description="Why this source and grade, e.g. what makes a D (expert opinion) flag "
        "serious when its source only supports it indirectly.",
    )


class ExerciseUse(StrictModel):
    key: Key = Field(description="A key into content/exercises.yml.")
    dosage: Text | None = Field(
        default=None, description="Condition-specific dosage; defaults to the library's."
    )


class SelfCare(StrictModel):
    first_days: list[Text] = Field(min_length=1, description="The first two or three days.")
    after: list[Text] = Field(min_length=1, description="Once the first flare settles.")


class Timeline(StrictModel):
    min_weeks: float = Field(ge=0)
    max_weeks: float = Field(ge=0)
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Timeline:
        if self.max_weeks < self.min_weeks:
            raise ValueError("max_weeks must not be less than min_weeks")
        return self


class ReturnToRun(StrictModel):
    timeline: Timeline
    protocol: Key | None = Field(
        default=None,
        description="A content/protocols/<key>.yml; null when no self-managed plan is offered.",
    )
    self_check: Key | None = Field(
        default=None, description="A content/self-check/<key>.yml rule family."
    )
    notes: list[Text] = Field(default_factory=list)


class Condition(StrictModel):
    """One running injury or problem: content/conditions/<slug>.yml."""

    slug: Key = Field(description="Must equal the file name without .yml.")
    name: TitleText
    aliases: list[TitleText] = Field(
        default_factory=list, description="Lay names and synonyms search must find."
    )
    region: Key
    tissue: Key
    what_it_is: Text = Field(
        max_length=WHAT_IT_IS_MAX,
        description="One short sentence saying what it is, shown first on a phone and beside "
        "the body map.",
    )
    summary: Text = Field(description="Plain English, for a reader of about twelve.")
    self_managed: bool = Field(
        default=True,
        description="False for conditions where the only advice is to see a clinician now.",
    )
    urgent_notice: Text | None = Field(
        default=None,
        description="Shown at the top when set, on a phone's first screen: straight after "
        "the one-line what-it-is, the red-flag link and the quick actions.",
    )
    symptoms: list[Text] = Field(min_length=1)
    causes: list[Text] = Field(min_length=1)
    risk_factors: list[Text] = Field(default_factory=list)
    self_care: SelfCare
    exercises: list[ExerciseUse] = Field(default_factory=list)
    red_flags: list[RedFlag]
    return_to_run: ReturnToRun
    references: list[Key] = Field(min_length=1)
    last_reviewed: ReviewDate


class Region(StrictModel):
    name: TitleText
    summary: Text
    order: int = Field(ge=0)


class Tissue(StrictModel):
    name: Text
    default_self_check: Key


class EvidenceGrade(StrictModel):
    name: Text
    meaning: Text


class Reference(StrictModel):
    title: Text
    authors: Text
    year: int = Field(ge=1900, le=2100)
    source: Text = Field(description="Journal, publisher or organisation.")
    kind: ReferenceKind = Field(
        description="guideline: a clinical practice guideline or national guidance for "
        "clinicians; peer_reviewed: a journal article (trial, review, consensus, commentary); "
        "book: a textbook; patient_information: a health service's leaflet or page for the "
        "public; web: a blog, clinic page or other unreviewed web article."
    )
    url: WebAddress | None = None
    grade: Grade | None = Field(default=None, description="Evidence grade, A to D.")
    grade_reason: Text | None = None


class Dosage(StrictModel):
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=1, le=600)
    per_side: bool = False
    frequency: Text

    def describe(self) -> str:
        work = f"{self.reps} reps" if self.reps else f"{self.hold_seconds}-second holds"
        if self.reps and self.hold_seconds:
            work = f"{self.reps} reps with a {self.hold_seconds}-second hold"
        side = " on each side" if self.per_side else ""
        return f"{self.sets} × {work}{side}, {self.frequency}"


class Exercise(StrictModel):
    name: Text
    aim: Text
    steps: list[Text] = Field(min_length=1)
    dosage: Dosage
    easier: Text
    harder: Text
    cautions: list[Text] = Field(default_factory=list)


class SiteSettings(StrictModel):
    """Site-wide wording and numbers that clinics override."""

    review_interval_days: int = Field(ge=30, le=3650)
    emergency_number: Text | None = None
    urgent_number: Text | None = None
    urgent_label: Text | None = Field(default=None, description="How to name it: 'NHS 111'.")
    journal: bool = Field(
        default=True, description="'My recovery', the journal page, and every link to it."
    )

    def review_due(self, last_reviewed: date) -> date:
        """When a page reviewed on `last_reviewed` must be reviewed again (HB304 after it)."""
        return last_reviewed + timedelta(days=self.review_interval_days)
