"""Warning categories, as in PyJWT."""


class RemovedInPyjwt3Warning(DeprecationWarning):
    """A feature PyJWT 3 removes is in use."""


class InsecureKeyLengthWarning(UserWarning):
    """A key is shorter than the minimum recommended for its algorithm."""
