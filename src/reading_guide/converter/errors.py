"""The converter's one error: input it cannot convert, with a message that names the file."""


class InputError(Exception):
    """A source or sidecar that cannot be converted; the message names the file and the fault."""
