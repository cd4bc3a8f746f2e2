from django.http import HttpResponse


def bad_request(request, exception=None):
    return HttpResponse("Bad request", status=400)


def page_not_found(request, exception=None):
    return HttpResponse("Not found", status=404)


def server_error(request):
    return HttpResponse("Server error", status=500)
