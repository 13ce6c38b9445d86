"""Accord's Python SDK: the REST API (``/api/v1``) from scripts, notebooks and pipelines.

    from accord.client import Client

    with Client.from_env() as client:          # ACCORD_URL, ACCORD_TOKEN
        for task in client.tasks("helpful"):
            client.submit(task, ranking=[["a"], ["b"]], rationale="a is correct")

Administration (``client.projects.create``, ``client.members``, ``client.users``,
``client.invites``), imports (``client.imports.upload(project, path_or_rows_or_dataframe)
.wait()``) and exports (``client.exports.download(project).to_datasets()``) too.
``AsyncClient`` has the same surface for asyncio. Answers are the server's own models
(``accord.wire``); errors are ``AccordError``s carrying the server's status, code and
message; 429 and 503 are retried with backoff, honouring ``Retry-After``. Importing this
package loads httpx and Pydantic only, never the server's dependencies. See docs/sdk.md.
"""

from accord.client.asynchronous import AsyncClient
from accord.client.calls import Wait
from accord.client.connection import MissingSetting
from accord.client.downloads import AsyncDownload, Download
from accord.client.errors import (
    AccordError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ServerError,
    Unauthenticated,
    UnfinishedTask,
    Unreachable,
)
from accord.client.jobs import (
    AsyncExportJob,
    AsyncImportJob,
    ExportFailed,
    ExportJob,
    ImportFailed,
    ImportJob,
    JobFailed,
    JobTimeout,
)
from accord.client.retries import RetryPolicy
from accord.client.sync import Client

__all__ = [
    "AccordError", "AsyncClient", "AsyncDownload", "AsyncExportJob", "AsyncImportJob",
    "Client", "Conflict", "Download", "ExportFailed", "ExportJob", "Forbidden",
    "ImportFailed", "ImportJob", "Invalid", "JobFailed", "JobTimeout", "MissingSetting",
    "NotFound", "RateLimited", "RetryPolicy", "ServerError", "Unauthenticated",
    "UnfinishedTask", "Unreachable", "Wait",
]
