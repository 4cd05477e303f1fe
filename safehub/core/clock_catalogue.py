"""The default clocks, as data: each figure with its source and verification mark.

Figures, sources and marks come from shared/DOMAIN.md (sections 3.2, 5, 6, 7, 9.3 and Appendix B).
A clock's mark is that of its least verified part: the DVPO hearing's 48 hours are [V] but the
days it disregards were [U] for the Crime and Security Act 2010, so the clock is "U" until s.27(3)
is checked; the DVDS 28 days are [S] but calendar-or-working days is [U], so it is "U".
The MASH clocks are one partnership's local settings (Surrey's pattern), not a national standard:
partnerships set their own through `ClockOverride` (see `safehub.core.clock_settings`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from safehub.core.clocks import Clock, Unit, rule_sentence

# What starts each clock, worded to follow "Due 5 working days after ..." in its rule.
START_EVENTS: dict[str, str] = {}


def _clock(
    *,
    id: str,
    title: str,
    amount: int,
    unit: Unit,
    starts: str,
    source: str,
    mark: str,
    excluded_days: frozenset[str] = frozenset(),
    day_start: time = time(9, 0),
    day_end: time = time(17, 0),
) -> Clock:
    START_EVENTS[id] = starts
    draft = Clock(
        id=id,
        title=title,
        amount=amount,
        unit=unit,
        rule="",
        source=source,
        mark=mark,
        excluded_days=excluded_days,
        day_start=day_start,
        day_end=day_end,
    )
    return replace(draft, rule=rule_sentence(draft, starts))


def rule_for(clock: Clock) -> str:
    """The rule sentence rewritten for a changed clock (a partnership override), where we can."""
    starts = START_EVENTS.get(clock.id)
    return rule_sentence(clock, starts) if starts else clock.rule


_HEARING_EXCLUSIONS = frozenset({"sunday", "christmas_day", "good_friday", "bank_holidays"})

_DEFAULTS = [
    _clock(
        id="referral-decision",
        title="Children's social care decision on a referral",
        amount=1,
        unit="working_days",
        starts="the referral is received",
        source=(
            "Working Together to Safeguard Children 2023 (as quoted by partnerships): "
            "https://safeguardingcambspeterborough.org.uk/children-board/professionals/procedures/"
            "action-by-csc-on-receipt-of-a-referral/ ; "
            "https://www.millbrookprimary.org.uk/the-role-of-the-local-authority/"
        ),
        mark="S",
    ),
    _clock(
        id="assessment",
        title="Children and families assessment (section 17 / single assessment)",
        amount=45,
        unit="working_days",
        starts="the referral is received",
        source=(
            "Working Together to Safeguard Children 2023, a ceiling not a target: "
            "https://proceduresonline.com/toolkit/glossary/a/cs-assessment"
        ),
        mark="S",
    ),
    _clock(
        id="icpc",
        title="Initial child protection conference",
        amount=15,
        unit="working_days",
        starts="the strategy discussion at which section 47 enquiries were started",
        source=(
            "Working Together to Safeguard Children 2023: "
            "https://www.devon.gov.uk/support-schools-settings/safeguarding/guidance-policy-and-tools-2/"
            "safeguarding-one-minute-guides/no-23-initial-case-conferences/"
        ),
        mark="S",
    ),
    _clock(
        id="cspr-notification",
        title="Serious incident notification to the Child Safeguarding Practice Review Panel",
        amount=5,
        unit="working_days",
        starts="the local authority becomes aware of the serious incident",
        source=(
            "Children Act 2004 s.16C; Child Safeguarding Practice Review Panel FAQs: "
            "https://childsafeguarding.independent-panel.uk/about/faqs/"
        ),
        mark="V",
    ),
    _clock(
        id="rapid-review",
        title="Rapid review",
        amount=15,
        unit="working_days",
        starts="the serious incident notification is sent",
        source=(
            "Child Safeguarding Practice Review Panel FAQs: "
            "https://childsafeguarding.independent-panel.uk/about/faqs/"
        ),
        mark="V",
    ),
    _clock(
        id="lcspr-publication",
        title="Local child safeguarding practice review: aim to publish",
        amount=6,
        unit="calendar_months",
        starts="the review starts",
        source=(
            "Working Together to Safeguard Children (an expectation, not a statutory limit): "
            "https://www.traffordsafeguardingpartnership.org.uk/About-us/News/2020/"
            "Child-Safeguarding-Practice-Reviews-update.aspx"
        ),
        mark="S",
    ),
    _clock(
        id="nrm-reasonable-grounds",
        title="NRM reasonable grounds decision (target)",
        amount=5,
        unit="working_days",
        starts="the NRM referral is received",
        source=(
            "Home Office target, not statute: "
            "https://athub.org.uk/knowledge-base/nrm-decisions-and-challenges/ ; "
            "https://www.modernslaveryhelpline.org/information/statutory"
        ),
        mark="S",
    ),
    _clock(
        id="rhi",
        title="Return home interview offered to a child who was missing",
        amount=72,
        unit="hours",
        starts="the child returns home or to care",
        source=(
            "DfE statutory guidance, Children who run away or go missing from home or care (January 2014): "
            "https://www.cypnow.co.uk/best-practice/article/legal-update-safeguarding-children-who-go-missing-from-care"
        ),
        mark="S",
    ),
    _clock(
        id="dvpo-hearing",
        title="DVPO application heard by magistrates",
        amount=48,
        unit="hours",
        starts="the DVPN is served",
        excluded_days=_HEARING_EXCLUSIONS,
        source=(
            "Crime and Security Act 2010 s.27(3) (days disregarded not re-read, [U]); 48 hours [V]: "
            "https://www.gov.uk/government/publications/domestic-violence-protection-orders/"
            "domestic-violence-protection-notices-dvpns-and-domestic-violence-protection-orders-dvpos-"
            "guidance-sections-24-33-crime-and-security-act-2010"
        ),
        mark="U",
    ),
    _clock(
        id="dapo-hearing",
        title="DAPO application heard by magistrates (pilot areas)",
        amount=48,
        unit="hours",
        starts="the DAPN is given",
        excluded_days=_HEARING_EXCLUSIONS,
        source="Domestic Abuse Act 2021 s.29(3): http://legislation.gov.uk/ukpga/2021/17/section/29/data.akn",
        mark="V",
    ),
    _clock(
        id="dvds",
        title="Clare's Law (DVDS) disclosure decision and delivery",
        amount=28,
        unit="calendar_days",
        starts="the application is received",
        source=(
            "DVDS statutory guidance under Domestic Abuse Act 2021 s.77 (2023; 28 days [S], calendar or "
            "working days [U]): https://reducingtherisk.org.uk/newly-published-guidance-on-clares-law-"
            "domestic-violence-disclosure-scheme-dvds/"
        ),
        mark="U",
    ),
    _clock(
        id="encompass",
        title="Operation Encompass notification to the school",
        amount=1,
        unit="next_school_day_start",
        day_start=time(8, 30),
        starts="the incident",
        source=(
            "Operation Encompass, statutory under the Victims and Prisoners Act 2024: "
            "https://www.cleveland.police.uk/advice-information/OperationEncompass.aspx"
        ),
        mark="V",
    ),
    _clock(
        id="mash-red",
        title="MASH red (high risk): police triage",
        amount=4,
        unit="working_hours",
        starts="the contact is received in the MASH",
        source="Local partnership setting (Surrey Police MASH), not national: https://www.accountabilityindex.uk/pfd/7272526/",
        mark="S",
    ),
    _clock(
        id="mash-amber",
        title="MASH amber (medium risk): police triage",
        amount=24,
        unit="working_hours",
        starts="the contact is received in the MASH",
        source="Local partnership setting (Surrey Police MASH), not national: https://www.accountabilityindex.uk/pfd/7272526/",
        mark="S",
    ),
    _clock(
        id="mash-green",
        title="MASH green (standard, early help): police triage",
        amount=72,
        unit="working_hours",
        starts="the contact is received in the MASH",
        source="Local partnership setting (Surrey Police MASH), not national: https://www.accountabilityindex.uk/pfd/7272526/",
        mark="S",
    ),
]

CLOCKS: dict[str, Clock] = {clock.id: clock for clock in _DEFAULTS}
