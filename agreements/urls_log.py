"""Language-neutral, beside the log's own endpoints under /logg/."""

from django.urls import path

from .views import log as log_views

app_name = "agreements_log"

# Each for the portal's default agreement and for one named by its slug.
urlpatterns = [
    pattern
    for prefix, suffix in (("", ""), ("<slug:name>/", "_named"))
    for pattern in (
        path(f"{prefix}register.json", log_views.register, name=f"register{suffix}"),
        path(f"{prefix}text/<int:number>", log_views.version_text, name=f"text{suffix}"),
    )
]
