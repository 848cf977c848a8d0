"""The skills pages, one module per audience: staff, line managers, and ODP admins (framework,
interventions, metrics). Views are thin: they check the policy, call a selector or service, and render."""
