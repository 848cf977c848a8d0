"""Skills models, split by concept; import them from here."""

from skills.models.assessments import Assessment, CurrentLevel, RaterKind
from skills.models.framework import (
    Crosswalk,
    CrosswalkRelation,
    Expectation,
    Framework,
    FrameworkVersion,
    Importance,
    ProficiencyLevel,
    RoleProfile,
    Skill,
    SkillGroup,
    VersionStatus,
)
from skills.models.interventions import (
    Cohort,
    CostCategory,
    CostItem,
    Enrolment,
    EnrolmentStatus,
    Intervention,
    InterventionKind,
)
from skills.models.metrics import CapabilityMetric, MetricScope, MetricsRun, PublishedSnapshot, RunStatus

__all__ = [
    "Assessment",
    "CapabilityMetric",
    "Cohort",
    "CostCategory",
    "CostItem",
    "Crosswalk",
    "CrosswalkRelation",
    "CurrentLevel",
    "Enrolment",
    "EnrolmentStatus",
    "Expectation",
    "Framework",
    "FrameworkVersion",
    "Importance",
    "Intervention",
    "InterventionKind",
    "MetricScope",
    "MetricsRun",
    "ProficiencyLevel",
    "PublishedSnapshot",
    "RaterKind",
    "RoleProfile",
    "RunStatus",
    "Skill",
    "SkillGroup",
    "VersionStatus",
]
