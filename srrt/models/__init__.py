"""Surge and Rapid Response Team models, split by concept; import them from here."""

from srrt.models.operations import (
    Appraisal,
    AppraisalSide,
    CloseOut,
    Deployment,
    EndingSoonReminder,
    Extension,
    ObjectivesMet,
    Recommendation,
)
from srrt.models.requests import (
    TEXT_MAX,
    TRANSITIONS,
    Agreement,
    Clearance,
    DemandType,
    Foreseeability,
    LastResortAnswer,
    LastResortOption,
    LastResortOutcome,
    PlanAnswer,
    ReferenceCounter,
    SurgeRequest,
    SurgeStatus,
)
from srrt.models.roster import Assignment, Responder, UnavailablePeriod
from srrt.models.triage import CalendarPeak, TriageDecision, TriageOutcome

__all__ = [
    "TEXT_MAX",
    "TRANSITIONS",
    "Agreement",
    "Appraisal",
    "AppraisalSide",
    "Assignment",
    "CalendarPeak",
    "Clearance",
    "CloseOut",
    "DemandType",
    "Deployment",
    "EndingSoonReminder",
    "Extension",
    "Foreseeability",
    "LastResortAnswer",
    "LastResortOption",
    "LastResortOutcome",
    "ObjectivesMet",
    "PlanAnswer",
    "Recommendation",
    "ReferenceCounter",
    "Responder",
    "SurgeRequest",
    "SurgeStatus",
    "TriageDecision",
    "TriageOutcome",
    "UnavailablePeriod",
]
