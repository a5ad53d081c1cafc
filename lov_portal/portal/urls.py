from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("overenskommelsen/", views.agreement_detail, name="agreement"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("integritet/", views.privacy_notice, name="privacy"),
    path("att-gora/", views.todo, name="todo"),
    path("oppna-data/api/", views.api_page, name="api_page"),
]
