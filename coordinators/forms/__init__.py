"""Forms of the coordinators app, one module per area (contact form, workspace, ...)."""
