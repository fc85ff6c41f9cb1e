"""Staff sign-in and sign-out (Django's auth views); routers land on the intake queue."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse

from minsheng.web.views.intake import INTAKE_ROLES


class StaffLoginView(auth_views.LoginView):
    template_name = "web/staff/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if getattr(user, "role", None) in INTAKE_ROLES:
            return reverse("web:intake_queue")
        return reverse("home")


class StaffLogoutView(auth_views.LogoutView):
    next_page = "web:staff_login"
