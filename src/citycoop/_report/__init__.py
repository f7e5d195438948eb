"""The report: built from computed results, rendered as text, Markdown, HTML or JSON."""
