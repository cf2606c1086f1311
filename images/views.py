from django.conf import settings
from django.http import Http404
from django.views.static import serve


def serve_media(request, path):
    """Uploaded files, for deployments without a separate file server. Every name
    is random or carries a content hash, so a response never changes: cache it."""
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404("Media files are served by the web server.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
