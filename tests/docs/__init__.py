"""Documentation that cannot drift: settings, the command line and the architecture, each
checked against the code they describe. Fast and without a database."""
