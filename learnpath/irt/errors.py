"""The single domain exception of the IRT engine."""


class IRTError(ValueError):
    """Invalid item parameters, responses or configuration passed to the IRT engine."""
