"""The ``accord`` command line: Typer commands, one small module per command group."""
