"""Ideas from the front line. Models split by concept; import them from here."""

from innovation.models.digests import Digest, DigestEntry, EmailFrequency, EmailPreference
from innovation.models.engagement import COMMENT_MAX, Comment, Endorsement, Follow, Report
from innovation.models.ideas import (
    TEXT_LIMIT,
    TEXT_MAX,
    TITLE_MAX,
    TRANSITIONS,
    Decision,
    Idea,
    IdeaEvent,
    IdeaStatus,
    ReferenceCounter,
    ServiceArea,
    Theme,
    Visibility,
)
from innovation.models.outcomes import Adoption, BenefitMeasure, CaseStudy, CaseStudyAudience
from innovation.models.plans import Commitment, InnovationPlan

__all__ = [
    "COMMENT_MAX",
    "TEXT_LIMIT",
    "TEXT_MAX",
    "TITLE_MAX",
    "TRANSITIONS",
    "Adoption",
    "BenefitMeasure",
    "CaseStudy",
    "CaseStudyAudience",
    "Comment",
    "Commitment",
    "Decision",
    "Digest",
    "DigestEntry",
    "EmailFrequency",
    "EmailPreference",
    "Endorsement",
    "Follow",
    "Idea",
    "IdeaEvent",
    "IdeaStatus",
    "InnovationPlan",
    "ReferenceCounter",
    "Report",
    "ServiceArea",
    "Theme",
    "Visibility",
]
