"""The ideas pages, mounted at /ideas/. URL names start with "ideas-" (navigation marks pages by name)."""
