"""Language-neutral: /logg/... serves the portal's first log, /logg/<name>/... any log."""

from django.urls import path

from . import views

app_name = "tlog"

_endpoints = [
    ("checkpoint", views.checkpoint, "checkpoint"),
    ("checkpoint/<int:size>", views.checkpoint_at, "checkpoint_at"),
    ("vkey", views.vkey, "vkey"),
    ("entries", views.entries, "entries"),
    ("proof/inclusion", views.inclusion_proof, "inclusion"),
    ("proof/consistency", views.consistency_proof, "consistency"),
]

urlpatterns = [path("lov_verify.py", views.verifier, name="verifier")]
urlpatterns += [path(route, view, name=name) for route, view, name in _endpoints]
urlpatterns += [
    path(f"<slug:name>/{route}", view, name=f"{name}_named") for route, view, name in _endpoints
]
