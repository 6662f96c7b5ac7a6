from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from alliance.accounts import views as account_views
from alliance.monitoring import urls as monitoring_urls
from alliance.plans import views as plan_views
from alliance.reports import urls as reports_urls
from alliance.review import urls as review_urls
from alliance.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/api-tokens/", account_views.api_tokens, name="api_tokens"),
    path(
        "accounts/api-tokens/<int:pk>/revoke/",
        account_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("", include("alliance.accountability.urls")),
    path("", include("alliance.designation.urls")),
    path("districts/<str:code>/plans/", include(review_urls.plan_urlpatterns)),
    path("districts/<str:code>/plans/", include(monitoring_urls.plan_urlpatterns)),
    path("districts/<str:code>/plans/", include(reports_urls.plan_urlpatterns)),
    path("districts/<str:code>/plans/", include("alliance.plans.urls")),
    path("plans/approved/", plan_views.public_plans, name="public_plans"),
    path(
        "plans/approved/<str:code>/<int:fiscal_year>/",
        plan_views.public_plan,
        name="public_plan",
    ),
    path("review/", include("alliance.review.urls")),
    path("portfolio/", include(monitoring_urls.urlpatterns)),
    path("districts/", include("alliance.registry.urls")),
    # The API's address alone leads to its reference.
    path("api/", login_not_required(RedirectView.as_view(pattern_name="api:openapi-view"))),
    path("api/v1/", login_not_required(RedirectView.as_view(pattern_name="api:openapi-view"))),
    path("api/v1/", include("alliance.api.urls")),
]
