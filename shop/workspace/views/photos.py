"""Photos of the cooperative's own products and of the cooperative, taken with the phone's
camera or chosen from it; each handler calls one service of shop.photos."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shop import photos
from shop.models import Product
from shop.workspace import photo_selectors as selectors
from shop.workspace.access import staff_only
from shop.workspace.photo_forms import PhotoForm
from shop.workspace.views import errors_onto

FORM_METHODS = ["GET", "HEAD", "POST"]


def _own_product(request: HttpRequest, product_id: int) -> Product:
    try:
        return selectors.product(cooperative_id=request.cooperative_id, product_id=product_id)
    except Product.DoesNotExist as exc:
        raise Http404("No such product.") from exc


def _add(request: HttpRequest, form: PhotoForm, add, **owner) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        add(**owner, image=data["image"], alt_en=data["alt_en"], alt_vi=data["alt_vi"])
    except ValidationError as error:
        errors_onto(form, error)
        return False
    except photos.GalleryFull:
        form.add_error(
            None, _("This gallery is full (%(count)d photos).") % {"count": photos.MAX_PHOTOS}
        )
        return False
    messages.success(request, _("Photo added."))
    return True


@require_safe
@staff_only
def photo_list(request: HttpRequest) -> HttpResponse:
    coop_id = request.cooperative_id
    context = {
        "products": selectors.products(cooperative_id=coop_id),
        "cooperative_photo_count": selectors.cooperative_photo_count(cooperative_id=coop_id),
    }
    return render(request, "coop/photos.html", context)


@require_http_methods(FORM_METHODS)
@staff_only
def product_photos(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _own_product(request, product_id)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _add(request, form, photos.add_product_photo, product=product):
        return redirect("coop:product_photos", product_id=product.pk)
    context = {
        "form": form,
        "title": product.name,
        "photos": selectors.gallery(selectors.product_photos(product_id=product.pk)),
        "remove_url": "coop:remove_product_photo",
    }
    return render(request, "coop/gallery.html", context, status=400 if form.is_bound else 200)


@require_POST
@staff_only
def remove_product_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    try:
        product_id = selectors.photo_product_id(
            cooperative_id=request.cooperative_id, photo_id=photo_id
        )
        photos.remove_product_photo(photo_id=photo_id, cooperative_id=request.cooperative_id)
    except photos.PhotoNotFound as exc:
        raise Http404(_("No such photo.")) from exc
    messages.success(request, _("Photo removed."))
    return redirect("coop:product_photos", product_id=product_id)


@require_http_methods(FORM_METHODS)
@staff_only
def cooperative_photos(request: HttpRequest) -> HttpResponse:
    cooperative = selectors.cooperative(cooperative_id=request.cooperative_id)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _add(
        request, form, photos.add_cooperative_photo, cooperative=cooperative
    ):
        return redirect("coop:cooperative_photos")
    context = {
        "form": form,
        "title": cooperative.name,
        "photos": selectors.gallery(selectors.cooperative_photos(cooperative_id=cooperative.pk)),
        "remove_url": "coop:remove_cooperative_photo",
    }
    return render(request, "coop/gallery.html", context, status=400 if form.is_bound else 200)


@require_POST
@staff_only
def remove_cooperative_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    try:
        photos.remove_cooperative_photo(photo_id=photo_id, cooperative_id=request.cooperative_id)
    except photos.PhotoNotFound as exc:
        raise Http404(_("No such photo.")) from exc
    messages.success(request, _("Photo removed."))
    return redirect("coop:cooperative_photos")
