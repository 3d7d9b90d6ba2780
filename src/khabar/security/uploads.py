"""Every image uploaded in the admin is checked whole before it is kept.

Wagtail refuses a file whose type it cannot tell, an extension that does not match the content
and a file over WAGTAILIMAGES_MAX_UPLOAD_SIZE bytes. Two gaps remain, closed here:
- it counts pixels (WAGTAILIMAGES_MAX_IMAGE_PIXELS) only after Willow has decoded the whole
  picture, so a small file that claims a huge size is first decoded; here the header is
  counted before anything is decoded;
- a file with a valid header and a broken body (cut off, or another file glued on) made that
  decode raise, and the editor got a server error. Here it is refused with a message, after
  Pillow's verify and a full decode, so it can never fail later in a rendition on a reader's page.
"""

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

BROKEN_IMAGE = "تعذّرت قراءة هذه الصورة كاملة: الملف تالف أو ليس صورة. صدّر الصورة من جديد ثم ارفعها."


def verify_image(file):
    """Raise ValidationError unless Pillow can verify the file and decode every pixel of it."""
    try:
        file.seek(0)
        with PILImage.open(file) as picture:
            picture.verify()  # structure and checksums, without decoding
        file.seek(0)
        with PILImage.open(file) as picture:
            picture.load()  # every pixel: a cut-off or foreign body fails here
    except Exception as error:  # Pillow raises many kinds (OSError, SyntaxError, ValueError…)
        raise ValidationError(BROKEN_IMAGE, code="broken_image") from error
    finally:
        file.seek(0)


def pixels_in_header(file):
    """Width × height as the file's header states them, read without decoding; None if Pillow cannot tell."""
    try:
        file.seek(0)
        with PILImage.open(file) as picture:  # lazy: reads the header only
            return picture.width * picture.height
    except PILImage.DecompressionBombError:
        return PILImage.MAX_IMAGE_PIXELS * 2  # Pillow's own hard limit, far over ours
    except Exception:  # not an image Pillow reads: Wagtail's own checks say so
        return None
    finally:
        file.seek(0)


class VerifiedImageField(WagtailImageField):
    """Wagtail's image field with the pixel count taken from the header first and a full check last."""

    def to_python(self, data):
        if hasattr(data, "seek"):
            pixels = pixels_in_header(data)
            if self.max_image_pixels and pixels and pixels > self.max_image_pixels:
                raise ValidationError(
                    self.error_messages["file_too_many_pixels"]
                    % {"num_pixels": pixels, "max_pixels_count": self.max_image_pixels},
                    code="file_too_many_pixels",
                )
        try:
            image = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # Willow decodes the file to count its pixels; a broken one raises anything
            raise ValidationError(BROKEN_IMAGE, code="broken_image") from error
        if image is not None:
            verify_image(image)
        return image


class VerifiedImageForm(BaseImageForm):
    """Wagtail's image form (the uploader, the chooser's upload, replacing a file) with ``VerifiedImageField``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")  # absent from the uploader's second step, which edits the details
        if field is not None:
            self.fields["file"] = VerifiedImageField(label=field.label, required=field.required, widget=field.widget)
