"""HTML pages: one module per page group, each with its own ``router``, gathered here.

A new page group (reviewer queues, the manager dashboard) adds a module with a ``router``,
includes it below, and adds its entry to ``navigation.PROJECT_LINKS``.
"""

from __future__ import annotations

from fastapi import APIRouter

from accord.web.pages import (
    account,
    auth,
    dashboard,
    demonstrations,
    digest,
    guidelines,
    home,
    invites,
    review,
    sso,
    workbench,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(sso.router)
router.include_router(home.router)
router.include_router(workbench.router)
router.include_router(review.router)
router.include_router(demonstrations.router)
router.include_router(dashboard.router)
router.include_router(guidelines.router)
router.include_router(digest.router)
router.include_router(invites.router)
router.include_router(account.router)
