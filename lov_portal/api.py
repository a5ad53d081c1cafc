"""The portal's read-only JSON API, version 1. Each app contributes a router."""

from ninja import NinjaAPI

from agreements.api import router as agreements_router

api = NinjaAPI(
    title="LÖV-portalen API",
    version="1",
    description="Read-only open data of Länsöverenskommelsen Västernorrland.",
    urls_namespace="api_v1",
    openapi_url="/openapi.json",
    # The interactive docs load scripts from a CDN, which the Content-Security-Policy forbids.
    docs_url=None,
)
api.add_router("/", agreements_router)
