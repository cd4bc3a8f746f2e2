from django.http import HttpResponse


def home(request):
    return HttpResponse("OCOP")


catalogue = product_detail = cooperative_detail = set_currency = home
