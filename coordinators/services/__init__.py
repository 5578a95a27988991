"""Writes on the domain, one module per concern: cases, the pipeline, references,
interactions, municipality requests, follow-ups. Each service is a function with
keyword-only arguments that refuses with `common.errors.DomainError`."""
