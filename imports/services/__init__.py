"""The history import: `check` reads and checks a file (the dry run), `write` writes what a
checked file holds, `jobs` keeps the ImportJob and runs both in the worker."""
