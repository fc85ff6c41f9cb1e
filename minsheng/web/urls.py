"""URLs of the pages: the citizen portal under /portal/, staff sign-in under /staff/ and
the workbenches under /work/."""

from django.urls import path
from django.views.generic import RedirectView, TemplateView

from minsheng.web.views import department, intake, portal, staff, supervisor

app_name = "web"

urlpatterns = [
    path("portal/", RedirectView.as_view(pattern_name="web:portal_submit"), name="portal"),
    path("portal/submit/", portal.submit, name="portal_submit"),
    path("portal/submit/done/", portal.submit_done, name="portal_submit_done"),
    path(
        "portal/regions/<int:pk>/children/", portal.region_children, name="portal_region_children"
    ),
    path("portal/regions/children/", portal.region_children, name="portal_region_children_query"),
    path(
        "portal/privacy/",
        TemplateView.as_view(template_name="web/portal/privacy.html"),
        name="portal_privacy",
    ),
    path("portal/track/", portal.track, name="portal_track"),
    path("portal/track/<str:code>/", portal.clue_detail, name="portal_clue"),
    path("portal/track/<str:code>/add-info/", portal.clue_add_info, name="portal_add_info"),
    path("portal/track/<str:code>/rate/", portal.clue_rate, name="portal_rate"),
    path("portal/track/<str:code>/reopen/", portal.clue_reopen, name="portal_reopen"),
    path("portal/track/<str:code>/withdraw/", portal.clue_withdraw, name="portal_withdraw"),
    path("staff/login/", staff.StaffLoginView.as_view(), name="staff_login"),
    path("staff/logout/", staff.StaffLogoutView.as_view(), name="staff_logout"),
    path("work/", staff.work_home, name="work_home"),
    path("work/files/<int:pk>/", staff.attachment, name="staff_attachment"),
    *intake.urlpatterns,
    *department.urlpatterns,
    *supervisor.urlpatterns,
]
