"""A realistic, invented local area ("Northbrook") to try the service without real data.

Everything is generated from a fixed seed, so the demo is the same on every machine.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from api.readiness_seed import seed_register
from models import (
    Inspection,
    LocalArea,
    MeetingRequest,
    Organisation,
    Person,
    Setting,
    Venue,
    VisitCandidate,
)
from models.inspection import WorkingHours
from models.meeting_request import InspectorRule, MeetingKind
from models.organisation import OrganisationKind
from models.person import InspectorBody, PersonKind
from models.setting import SettingType
from models.visit_candidate import DEFAULT_GATHER
from scheduler.frameworks import SEND_2016
from scheduler.notice import notice_window

LONDON = ZoneInfo("Europe/London")
CENTRE = (52.95, -1.15)
DEMO_CODE = "northbrook"

FIRST = (
    "Aisha Ben Carys Dev Elin Farah George Hana Imran Jade Kwame Leah Mohammed Niamh Owen Priya "
    "Rhys Sana Tom Uma Victor Wen Yusuf Zara Adam Bethan Callum Dina Ethan Grace"
).split()
LAST = (
    "Ahmed Bailey Clarke Davies Evans Fisher Green Hughes Iqbal Jones Khan Lewis Morgan Nowak "
    "Owens Patel Quinn Roberts Singh Taylor Turner Walker Williams Young"
).split()

ORGANISATIONS: tuple[tuple[str, OrganisationKind, str], ...] = (
    ("Northbrook Council", OrganisationKind.LOCAL_AUTHORITY, "northbrook.gov.uk"),
    ("Northbrook and Vale ICB", OrganisationKind.HEALTH_COMMISSIONER, "nvicb.nhs.uk"),
    ("Northbrook Community Health NHS Trust", OrganisationKind.NHS_PROVIDER, "nch.nhs.uk"),
    ("Vale Hospitals NHS Foundation Trust", OrganisationKind.NHS_PROVIDER, "valehospitals.nhs.uk"),
    ("Northbrook Mental Health Partnership", OrganisationKind.NHS_PROVIDER, "nmhp.nhs.uk"),
    ("Northbrook Parent Carer Forum", OrganisationKind.PARENT_CARER_FORUM, "northbrookpcf.org.uk"),
    ("SENDIASS Northbrook", OrganisationKind.VOLUNTARY_SECTOR, "sendiass-northbrook.org.uk"),
    ("Northbrook Learning Trust", OrganisationKind.EDUCATION_SETTING, "nlt.org.uk"),
    ("Vale Special Schools Partnership", OrganisationKind.EDUCATION_SETTING, "vssp.org.uk"),
    ("Northbrook College", OrganisationKind.EDUCATION_SETTING, "northbrook.ac.uk"),
    ("Young Carers Northbrook", OrganisationKind.VOLUNTARY_SECTOR, "ycn.org.uk"),
    ("Ofsted and CQC inspection team", OrganisationKind.INSPECTORATE, "inspection.example"),
)

THEMES = (
    "ehc_planning",
    "early_years",
    "transport",
    "school_nursing",
    "therapies",
    "camhs",
    "social_care",
    "preparation_for_adulthood",
    "commissioning",
    "inclusion",
    "health",
)

JOB_TITLES = {
    PersonKind.STAFF: ("Head of SEND", "Commissioning manager", "Service manager", "Team leader"),
    PersonKind.FRONTLINE: (
        "School nurse",
        "Physiotherapist",
        "Speech and language therapist",
        "Occupational therapist",
        "EHC coordinator",
        "Educational psychologist",
        "Social worker",
        "Health visitor",
    ),
    PersonKind.PARENT_REP: ("Parent carer forum representative",),
}

VENUES: tuple[tuple[str, int, bool, bool], ...] = (
    ("Civic Centre Council Chamber", 40, True, True),
    ("Civic Centre Room 2", 12, True, True),
    ("Civic Centre Room 3", 8, True, False),
    ("Riverside Health Centre Seminar Room", 16, True, True),
    ("Vale Hospital Education Centre", 25, True, True),
    ("Northbrook Library Meeting Room", 10, False, False),
    ("Family Hub East", 14, True, False),
    ("Oakfield Teachers' Centre", 20, False, True),
)

SETTING_MIX: tuple[tuple[SettingType, int, str], ...] = (
    (SettingType.EARLY_YEARS, 7, "Nursery School"),
    (SettingType.PRIMARY, 14, "Primary School"),
    (SettingType.SECONDARY, 7, "Academy"),
    (SettingType.SPECIAL, 5, "Special School"),
    (SettingType.POST16, 3, "Sixth Form College"),
    (SettingType.PRU_AP, 2, "Learning Centre"),
    (SettingType.ALL_THROUGH, 2, "All-Through School"),
)
PLACES = (
    "Oakfield Ashby Brookside Castleton Denby Elmwood Fernhill Greystones Hatherley Ivybridge "
    "Kingsmead Larkhill Millbrook Netherfield Orchard Parkside Queensway Redhill Southgate "
    "Thornbury Upton Victoria Westfield Yewtree"
).split()

MEETINGS: tuple[tuple[str, str, int], ...] = (
    ("EHC needs assessment and planning", "ehc_planning", 90),
    ("Early years and early identification", "early_years", 60),
    ("Home to school transport", "transport", 60),
    ("School nursing and the healthy child programme", "school_nursing", 60),
    ("Therapies: speech and language, OT, physiotherapy", "therapies", 90),
    ("CAMHS and emotional wellbeing", "camhs", 60),
    ("Social care and short breaks", "social_care", 60),
    ("Preparing for adulthood", "preparation_for_adulthood", 60),
    ("Joint commissioning", "commissioning", 60),
    ("Inclusion, exclusions and alternative provision", "inclusion", 60),
    ("Health leaders and the designated clinical officer", "health", 60),
)


def _id(row: Any) -> int:
    """The id of a flushed row (set by the database on flush)."""
    assert row.id is not None
    return int(row.id)


def _jitter(rng: random.Random, spread: float = 0.08) -> tuple[float, float]:
    return (
        round(CENTRE[0] + rng.uniform(-spread, spread), 5),
        round(CENTRE[1] + rng.uniform(-spread * 1.6, spread * 1.6), 5),
    )


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            return name


def _email(name: str, domain: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{domain}"


def next_notification(now: datetime) -> datetime:
    """The coming Monday at 09:30, London time: when such calls usually arrive."""
    local = now.astimezone(LONDON)
    days = (7 - local.weekday()) % 7 or 7
    monday = (local + timedelta(days=days)).date()
    return datetime.combine(monday, time(9, 30), LONDON)


def load_demo(session: Session, now: datetime | None = None) -> LocalArea:
    """Create the demo area; loading it twice returns the existing one unchanged."""
    existing = session.exec(select(LocalArea).where(LocalArea.code == DEMO_CODE)).first()
    if existing is not None:
        return existing
    rng = random.Random(2016)
    area = LocalArea(name="Northbrook (demo)", code=DEMO_CODE)
    session.add(area)
    session.flush()
    assert area.id is not None
    seed_register(session, area.id)
    organisations = _organisations(session, area.id)
    people = _people(session, area.id, organisations, rng)
    venues = _venues(session, area.id, rng)
    settings = _settings(session, area.id, rng)
    _inspection(session, area.id, people, venues, settings, rng, now or datetime.now(LONDON))
    session.commit()
    return area


def _organisations(session: Session, area_id: int) -> list[Organisation]:
    rows = [
        Organisation(local_area_id=area_id, name=name, kind=kind, website=f"https://{domain}")
        for name, kind, domain in ORGANISATIONS
    ]
    session.add_all(rows)
    session.flush()
    return rows


def _people(
    session: Session, area_id: int, organisations: list[Organisation], rng: random.Random
) -> dict[PersonKind, list[Person]]:
    used: set[str] = set()
    domains = {o.id: d for o, (_, _, d) in zip(organisations, ORGANISATIONS, strict=True)}
    by_kind: dict[PersonKind, list[Person]] = {kind: [] for kind in PersonKind}
    forum = next(o for o in organisations if o.kind == OrganisationKind.PARENT_CARER_FORUM)
    inspectorate = organisations[-1]
    partners = [o for o in organisations if o not in (forum, inspectorate)]
    plan = (
        [(PersonKind.STAFF, rng.choice(partners)) for _ in range(70)]
        + [(PersonKind.FRONTLINE, rng.choice(partners[:5])) for _ in range(62)]
        + [(PersonKind.PARENT_REP, forum) for _ in range(12)]
    )
    for kind, organisation in plan:
        name = _name(rng, used)
        person = Person(
            local_area_id=area_id,
            name=name,
            email=_email(name, domains[organisation.id]),
            phone=f"01632 {rng.randint(100000, 999999)}",
            organisation_id=organisation.id,
            job_title=rng.choice(JOB_TITLES[kind]),
            kind=kind,
            themes=rng.sample(THEMES, k=2),
            max_meetings_per_day=4 if kind == PersonKind.PARENT_REP else None,
            needs_step_free=rng.random() < 0.05,
        )
        by_kind[kind].append(person)
    for body, title in (
        (InspectorBody.HMI, "Her Majesty's Inspector (lead)"),
        (InspectorBody.CQC, "CQC children's services inspector"),
        (InspectorBody.HMI, "Ofsted Inspector"),
        (InspectorBody.LA, "Local authority inspector"),
    ):
        name = _name(rng, used)
        by_kind[PersonKind.INSPECTOR].append(
            Person(
                local_area_id=area_id,
                name=name,
                email=_email(name, "inspection.example"),
                organisation_id=inspectorate.id,
                job_title=title,
                kind=PersonKind.INSPECTOR,
                inspector_body=body,
                themes=["health"] if body == InspectorBody.CQC else [],
            )
        )
    for people in by_kind.values():
        session.add_all(people)
    session.flush()
    return by_kind


def _venues(session: Session, area_id: int, rng: random.Random) -> list[Venue]:
    rows = []
    for name, capacity, step_free, video in VENUES:
        lat, lon = _jitter(rng, 0.04)
        rows.append(
            Venue(
                local_area_id=area_id,
                name=name,
                address=f"{name}, Northbrook",
                postcode=f"NB{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}"
                f"{rng.choice('HJLNPQ')}",
                latitude=lat,
                longitude=lon,
                capacity=capacity,
                step_free=step_free,
                video_conferencing=video,
            )
        )
    session.add_all(rows)
    session.flush()
    return rows


def _settings(session: Session, area_id: int, rng: random.Random) -> list[Setting]:
    rows = []
    places = iter(rng.sample(PLACES * 2, k=len(PLACES) * 2))
    urn = 140000
    for kind, count, suffix in SETTING_MIX:
        for _ in range(count):
            urn += rng.randint(3, 400)
            lat, lon = _jitter(rng)
            pupils = {
                SettingType.EARLY_YEARS: 60,
                SettingType.PRIMARY: 320,
                SettingType.SECONDARY: 1100,
                SettingType.SPECIAL: 140,
                SettingType.POST16: 900,
                SettingType.PRU_AP: 45,
                SettingType.ALL_THROUGH: 1400,
            }[kind]
            pupils = int(pupils * rng.uniform(0.6, 1.4))
            special = kind in (SettingType.SPECIAL, SettingType.PRU_AP)
            rows.append(
                Setting(
                    local_area_id=area_id,
                    urn=str(urn),
                    name=f"{next(places)} {suffix}",
                    setting_type=kind,
                    address="School Lane, Northbrook",
                    postcode=f"NB{rng.randint(1, 9)} {rng.randint(1, 9)}HQ",
                    latitude=lat,
                    longitude=lon,
                    opens=time(8, 0) if kind == SettingType.EARLY_YEARS else time(8, 30),
                    closes=time(17, 30) if kind == SettingType.EARLY_YEARS else time(15, 30),
                    pupils=pupils,
                    sen_support=int(pupils * (0.02 if special else rng.uniform(0.08, 0.16))),
                    ehc_plans=int(pupils * (0.95 if special else rng.uniform(0.01, 0.04))),
                )
            )
    session.add_all(rows)
    session.flush()
    return rows


def _inspection(
    session: Session,
    area_id: int,
    people: dict[PersonKind, list[Person]],
    venues: list[Venue],
    settings: list[Setting],
    rng: random.Random,
    now: datetime,
) -> None:
    notified = next_notification(now)
    window = notice_window(notified, SEND_2016, "Europe/London")
    inspectors = people[PersonKind.INSPECTOR]
    staff = people[PersonKind.STAFF]
    link_officer = staff[0]
    inspection = Inspection(
        local_area_id=area_id,
        title="Local area SEND inspection",
        framework=SEND_2016.key,
        notification_at=notified,
        onsite_start=window.onsite_start,
        days=[{"day": d.day.isoformat(), "role": d.role.value} for d in window.days],
        inspector_ids=[_id(p) for p in inspectors],
        lead_inspector_id=_id(inspectors[0]),
        link_officer_id=_id(link_officer),
        working_hours=WorkingHours().model_dump(mode="json"),
    )
    session.add(inspection)
    session.flush()
    assert inspection.id is not None
    _meetings(session, area_id, inspection.id, people, venues, window.onsite_start, rng)
    for setting in settings:
        session.add(
            VisitCandidate(
                local_area_id=area_id,
                inspection_id=inspection.id,
                setting_id=_id(setting),
                must_visit=setting.setting_type == SettingType.SPECIAL and rng.random() < 0.5,
                gather=list(DEFAULT_GATHER),
            )
        )


def _meetings(
    session: Session,
    area_id: int,
    inspection_id: int,
    people: dict[PersonKind, list[Person]],
    venues: list[Venue],
    monday: Any,
    rng: random.Random,
) -> None:
    inspectors = people[PersonKind.INSPECTOR]
    staff, frontline = people[PersonKind.STAFF], people[PersonKind.FRONTLINE]
    link_officer = staff[0]
    chamber = venues[0]

    def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(monday + timedelta(days=day_offset), time(hour, minute), LONDON)

    fixed = [
        (
            "Introductory meeting with key leaders",
            "introduction",
            MeetingKind.FIXED,
            at(0, 11),
            60,
            chamber.id,
            InspectorRule.ALL,
            staff[1:6],
        ),
        (
            "Keeping in touch (Monday)",
            "keeping_in_touch",
            MeetingKind.FIXED,
            at(0, 16, 30),
            30,
            venues[2].id,
            InspectorRule.NAMED,
            [],
        ),
        (
            "Keeping in touch (Tuesday)",
            "keeping_in_touch",
            MeetingKind.FIXED,
            at(1, 16, 30),
            30,
            venues[2].id,
            InspectorRule.NAMED,
            [],
        ),
        (
            "Parent and carer webinar 1",
            "webinar",
            MeetingKind.WEBINAR,
            at(0, 18),
            60,
            None,
            InspectorRule.NAMED,
            [],
        ),
        (
            "Parent and carer webinar 2",
            "webinar",
            MeetingKind.WEBINAR,
            at(1, 12, 30),
            60,
            None,
            InspectorRule.NAMED,
            [],
        ),
    ]
    for title, theme, kind, start, minutes, venue_id, rule, attendees in fixed:
        session.add(
            MeetingRequest(
                local_area_id=area_id,
                inspection_id=inspection_id,
                title=title,
                theme=theme,
                kind=kind,
                duration_minutes=minutes,
                required_attendee_ids=[_id(p) for p in attendees]
                + ([_id(link_officer)] if theme == "keeping_in_touch" else []),
                inspector_rule=rule,
                named_inspector_ids=[_id(inspectors[0])] if rule == InspectorRule.NAMED else [],
                online=venue_id is None,
                fixed_start=start,
                fixed_venue_id=venue_id,
                note_taker_id=_id(link_officer) if theme == "introduction" else None,
            )
        )
    for title, theme, minutes in MEETINGS:
        experts = [p for p in staff[1:] if theme in p.themes] or rng.sample(staff[1:], 2)
        practitioners = [p for p in frontline if theme in p.themes][:3]
        health = theme in ("health", "camhs", "therapies", "school_nursing")
        session.add(
            MeetingRequest(
                local_area_id=area_id,
                inspection_id=inspection_id,
                title=title,
                theme=theme,
                duration_minutes=minutes,
                required_attendee_ids=[_id(p) for p in experts[:2]],
                optional_attendee_ids=[_id(p) for p in experts[2:4] + practitioners],
                parent_reps_wanted=rng.choice((1, 2)),
                inspector_rule=InspectorRule.NAMED if health else InspectorRule.ANY,
                named_inspector_ids=[_id(inspectors[1])] if health else [],
                note_taker_id=rng.choice(staff[6:20]).id,
            )
        )
