"""The skills API under /api/v1/skills/: thin views over skills.services, selectors and visible_to."""
