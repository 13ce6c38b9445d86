"""The rules of Accord: projects, import, assignment, submission, export selection, access.

``core`` never imports ``web`` or ``cli``; functions take a SQLAlchemy ``Connection`` inside
a transaction the caller opened, so the same rule runs from the API, the CLI and the tests.
"""
