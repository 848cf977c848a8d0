"""The annual report: authoring, review, publication with frozen content, PDF and public pages."""
