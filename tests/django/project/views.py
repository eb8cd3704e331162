from django.contrib.auth import authenticate, login
from django.http import HttpResponse, JsonResponse


def login_view(request):
    user = authenticate(
        request, username=request.POST["username"], password=request.POST["password"]
    )
    if user is None:
        return HttpResponse("bad credentials", status=401)
    login(request, user)
    request.session["seen"] = request.session.get("seen", 0) + 1
    return HttpResponse("ok")


def whoami(request):
    if not request.user.is_authenticated:
        return HttpResponse("anonymous", status=401)
    return JsonResponse({"username": request.user.username, "seen": request.session["seen"]})


def set_cookie(request):
    response = HttpResponse("set")
    response.set_signed_cookie("pref", request.GET["value"], salt="prefs")
    return response


def get_cookie(request):
    return HttpResponse(request.get_signed_cookie("pref", default="-", salt="prefs", max_age=60))
