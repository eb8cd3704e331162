from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view),
    path("whoami/", views.whoami),
    path("cookie/set/", views.set_cookie),
    path("cookie/get/", views.get_cookie),
]
