"""The administration lists' paging: the one shape of ``accord.core.paging``, named here
too because ``core.admin`` and its routes import it from this place."""

from accord.core.paging import DEFAULT_LIMIT, MAX_CURSOR, MAX_LIMIT, Page, check_page, page_of

__all__ = ["DEFAULT_LIMIT", "MAX_CURSOR", "MAX_LIMIT", "Page", "check_page", "page_of"]
