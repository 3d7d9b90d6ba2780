"""Abstract illustrations for the demo site, drawn with Pillow.

Each picture is a small composition of gradients and shapes (a skyline, a
stadium, bars of a chart...) so the demo needs no download and no licence. No
text is drawn: Pillow cannot shape Arabic without libraqm. The drawing is
seeded, so every run produces the same files.
"""

import hashlib
import math
import random
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter
from wagtail.images import get_image_model

SIZE = W, H = 1600, 900
SEED = 2024
CREDIT = "خبر/رسوم توضيحية"


# --- building blocks ---------------------------------------------------------
def gradient(top, bottom, size=SIZE):
    """A vertical gradient from ``top`` to ``bottom``."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def glow(img, center, radius, color, strength=1.0):
    """A soft round light (a sun, a floodlight) blended onto ``img``."""
    mask = Image.radial_gradient("L").resize((radius * 2, radius * 2))
    mask = mask.point(lambda v: int(max(0, 255 - v * 1.6) * strength))
    img.paste(Image.new("RGB", mask.size, color), (center[0] - radius, center[1] - radius), mask)


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def wave(rng, base, amplitude, step=20):
    """Points of a gentle random curve across the width, for hills and dunes."""
    phases = [rng.uniform(0, math.tau) for _ in range(3)]
    freqs = [rng.uniform(0.6, 1.4), rng.uniform(1.8, 3.2), rng.uniform(4, 6)]
    return [
        (x, base + amplitude * sum(math.sin(f * x / W * math.pi + p) / (i + 1) for i, (f, p) in enumerate(zip(freqs, phases))))
        for x in range(0, W + step, step)
    ]


# --- compositions ------------------------------------------------------------
def skyline(rng):
    img = gradient((28, 30, 74), (238, 140, 82))
    glow(img, (1150, 470), 240, (255, 214, 140))
    draw = ImageDraw.Draw(img)
    for layer, (colour, low, high) in enumerate([((96, 70, 110), 260, 520), ((58, 42, 78), 180, 420), ((24, 20, 38), 120, 340)]):
        x = -rng.randint(0, 60)
        while x < W:
            width, height = rng.randint(60, 150), rng.randint(low, high)
            top = H - 90 - height + layer * 30
            draw.rectangle((x, top, x + width, H), fill=colour)
            if layer == 2:
                for wy in range(top + 18, H - 100, 28):
                    for wx in range(x + 12, x + width - 14, 22):
                        if rng.random() < 0.35:
                            draw.rectangle((wx, wy, wx + 9, wy + 13), fill=(255, 208, 120))
            x += width + rng.randint(4, 30)
    draw.rectangle((0, H - 60, W, H), fill=(16, 14, 26))
    return img


def stadium(rng):
    img = gradient((8, 14, 40), (30, 48, 84))
    draw = ImageDraw.Draw(img)
    draw.ellipse((-200, 180, W + 200, H + 520), fill=(44, 48, 64))
    colours = [(200, 70, 60), (220, 220, 220), (60, 110, 200), (230, 185, 60), (70, 74, 90)]
    for _ in range(6000):
        x, y = rng.randint(0, W), rng.randint(215, 560)
        draw.rectangle((x, y, x + 4, y + 5), fill=rng.choice(colours))
    pitch = [(260, 470), (W - 260, 470), (W + 120, H), (-120, H)]
    draw.polygon(pitch, fill=(40, 130, 60))
    stripes = 8

    def inset(y):  # the touchline's distance from the image edge at height y
        return 260 - (y - 470) / (H - 470) * 380

    for i in range(0, stripes, 2):
        y0, y1 = 470 + (H - 470) * i / stripes, 470 + (H - 470) * (i + 1) / stripes
        draw.polygon([(inset(y0), y0), (W - inset(y0), y0), (W - inset(y1), y1), (inset(y1), y1)], fill=(52, 150, 72))
    white = (235, 240, 235)
    draw.line(pitch + [pitch[0]], fill=white, width=5)
    draw.line(((inset(640), 640), (W - inset(640), 640)), fill=white, width=5)
    draw.ellipse((W / 2 - 210, 590, W / 2 + 210, 690), outline=white, width=5)
    for x in (140, 560, 1040, 1460):
        draw.rectangle((x - 4, 40, x + 4, 200), fill=(90, 96, 110))
        draw.rectangle((x - 40, 30, x + 40, 60), fill=(245, 245, 230))
        glow(img, (x, 45), 150, (255, 255, 220), 0.6)
    return img


def chart(rng):
    img = gradient((18, 32, 52), (34, 64, 92))
    draw = ImageDraw.Draw(img)
    for y in range(150, H - 100, 90):
        draw.line(((120, y), (W - 120, y)), fill=(60, 88, 118), width=2)
    values, value = [], 0.35
    for _ in range(14):
        value = min(0.95, max(0.15, value + rng.uniform(-0.09, 0.13)))
        values.append(value)
    step = (W - 280) / len(values)
    points = []
    for i, v in enumerate(values):
        x0 = 160 + i * step
        top = H - 110 - v * (H - 280)
        draw.rectangle((x0, top, x0 + step * 0.62, H - 110), fill=mix((46, 160, 170), (240, 180, 70), i / len(values)))
        points.append((x0 + step * 0.31, top - 40))
    draw.line(points, fill=(250, 250, 250), width=6, joint="curve")
    for x, y in points:
        draw.ellipse((x - 10, y - 10, x + 10, y + 10), fill=(250, 250, 250))
    draw.line(((120, H - 110), (W - 120, H - 110)), fill=(200, 210, 220), width=4)
    return img


def network(rng):
    img = gradient((12, 10, 48), (40, 20, 90))
    draw = ImageDraw.Draw(img)
    nodes = [(rng.randint(60, W - 60), rng.randint(60, H - 60)) for _ in range(70)]
    for a in nodes:
        nearest = sorted(nodes, key=lambda b: (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)[1:4]
        for b in nearest:
            draw.line((a, b), fill=(70, 110, 200), width=2)
    for x, y in nodes:
        r = rng.choice((5, 7, 10))
        glow(img, (x, y), r * 5, (90, 200, 255), 0.5)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(180, 235, 255))
    return img


def dunes(rng):
    img = gradient((120, 180, 220), (250, 220, 170))
    glow(img, (400, 260), 220, (255, 246, 210))
    draw = ImageDraw.Draw(img)
    for i, colour in enumerate([(226, 178, 120), (210, 150, 92), (188, 124, 70), (160, 98, 52)]):
        curve = wave(rng, 470 + i * 110, 70 - i * 8)
        draw.polygon(curve + [(W, H), (0, H)], fill=colour)
    return img


def port(rng):
    img = gradient((150, 190, 220), (230, 236, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 560, W, H), fill=(40, 92, 130))
    for y in range(580, H, 24):
        for x in range(rng.randint(0, 80), W, 160):
            draw.line(((x, y), (x + 60, y)), fill=(70, 126, 164), width=3)
    draw.rectangle((0, 500, 900, 580), fill=(90, 92, 96))
    colours = [(200, 70, 50), (40, 110, 170), (220, 160, 40), (60, 140, 90), (150, 150, 160)]
    for col in range(12):
        for row in range(rng.randint(1, 4)):
            x, y = 40 + col * 70, 500 - (row + 1) * 34
            draw.rectangle((x, y, x + 64, y + 30), fill=rng.choice(colours), outline=(50, 50, 55))
    for x in (250, 620):
        draw.rectangle((x, 180, x + 16, 500), fill=(230, 120, 40))
        draw.rectangle((x + 110, 180, x + 126, 500), fill=(230, 120, 40))
        draw.rectangle((x - 120, 170, x + 330, 196), fill=(230, 120, 40))
    draw.polygon([(1000, 600), (1520, 600), (1480, 680), (1040, 680)], fill=(30, 36, 50))
    for i in range(6):
        draw.rectangle((1060 + i * 70, 548, 1120 + i * 70, 600), fill=rng.choice(colours))
    return img


def arches(rng):
    img = Image.new("RGB", SIZE, (238, 222, 196))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x = 40 + i * 260
        draw.rectangle((x + 40, 330, x + 220, 700), fill=(150, 84, 60))
        draw.ellipse((x + 40, 240, x + 220, 420), fill=(150, 84, 60))
        draw.rectangle((x + 60, 340, x + 200, 700), fill=(60, 40, 46))
        draw.ellipse((x + 60, 260, x + 200, 400), fill=(60, 40, 46))
    draw.rectangle((0, 700, W, H), fill=(30, 90, 110))
    for row in range(3):
        for col in range(-1, W // 70 + 1):
            cx, cy = col * 70 + (35 if row % 2 else 0), 740 + row * 60
            star = [(cx + 24 * math.cos(a * math.pi / 4), cy + 24 * math.sin(a * math.pi / 4)) for a in range(8)]
            draw.polygon(star[::2], fill=(220, 190, 110))  # two squares, one turned 45°: an eight-point star
            draw.polygon(star[1::2], fill=(220, 190, 110))
            draw.ellipse((cx - 7, cy - 7, cx + 7, cy + 7), fill=(30, 90, 110))
    draw.rectangle((0, 0, W, 60), fill=(30, 90, 110))
    return img


def columns(rng):
    img = gradient((90, 150, 210), (210, 228, 240))
    draw = ImageDraw.Draw(img)
    stone, shade = (232, 226, 212), (196, 188, 170)
    draw.ellipse((620, 60, 980, 400), fill=stone)
    draw.rectangle((600, 220, 1000, 300), fill=stone)
    draw.polygon([(300, 330), (W / 2, 210), (1300, 330)], fill=stone, outline=shade)
    draw.rectangle((300, 330, 1300, 370), fill=shade)
    for i in range(8):
        x = 340 + i * 128
        draw.rectangle((x, 370, x + 60, 720), fill=stone)
        draw.rectangle((x + 42, 370, x + 60, 720), fill=shade)
    for i in range(4):
        draw.rectangle((260 - i * 30, 720 + i * 30, 1340 + i * 30, 750 + i * 30), fill=mix(stone, shade, i / 4))
    draw.rectangle((0, 840, W, H), fill=(120, 140, 110))
    return img


def fields(rng):
    img = gradient((130, 190, 230), (236, 240, 226))
    glow(img, (1300, 200), 180, (255, 250, 220))
    draw = ImageDraw.Draw(img)
    greens = [(150, 190, 100), (110, 168, 80), (196, 180, 90), (80, 140, 70)]
    for i, colour in enumerate(greens):
        curve = wave(rng, 420 + i * 120, 50)
        draw.polygon(curve + [(W, H), (0, H)], fill=colour)
        for row in range(1, 6):
            draw.line([(x, y + row * 22) for x, y in curve], fill=mix(colour, (40, 70, 30), 0.18), width=3)
    return img


def rain(rng):
    img = gradient((70, 80, 96), (150, 160, 172))
    clouds = Image.new("L", SIZE, 0)
    cdraw = ImageDraw.Draw(clouds)
    for _ in range(40):
        x, y, r = rng.randint(-100, W + 100), rng.randint(40, 300), rng.randint(90, 200)
        cdraw.ellipse((x - r * 1.6, y - r * 0.7, x + r * 1.6, y + r * 0.7), fill=rng.randint(120, 220))
    clouds = clouds.filter(ImageFilter.BoxBlur(30))
    img.paste(Image.new("RGB", SIZE, (52, 58, 70)), (0, 0), clouds)
    draw = ImageDraw.Draw(img)
    x = 0
    while x < W:
        width, height = rng.randint(50, 130), rng.randint(80, 260)
        draw.rectangle((x, H - height, x + width, H), fill=(60, 68, 80))
        x += width + rng.randint(0, 16)
    for _ in range(700):
        x, y = rng.randint(-100, W), rng.randint(0, H)
        draw.line(((x, y), (x + 14, y + 44)), fill=(200, 210, 225), width=2)
    return img


def solar(rng):
    img = gradient((40, 120, 200), (180, 214, 236))
    glow(img, (260, 170), 200, (255, 244, 200))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 480, W, H), fill=(214, 184, 134))
    for row in range(4):
        y = 500 + row * 100
        scale = 0.7 + row * 0.18
        for col in range(-1, 9):
            x = col * 200 * scale + (row % 2) * 60
            w, h = 170 * scale, 70 * scale
            panel = [(x, y + h), (x + w, y + h), (x + w + 30 * scale, y), (x + 30 * scale, y)]
            draw.polygon(panel, fill=(28, 52, 104), outline=(190, 200, 220))
            for k in range(1, 4):
                t = k / 4
                draw.line(((x + w * t, y + h), (x + w * t + 30 * scale, y)), fill=(80, 110, 170), width=2)
            draw.line(((x + 15 * scale, y + h / 2), (x + w + 15 * scale, y + h / 2)), fill=(80, 110, 170), width=2)
    return img


def books(rng):
    img = Image.new("RGB", SIZE, (92, 60, 40))
    draw = ImageDraw.Draw(img)
    colours = [(170, 50, 50), (40, 90, 140), (210, 170, 70), (50, 120, 90), (120, 70, 130), (230, 220, 200), (200, 110, 60)]
    for shelf in range(4):
        base = 210 + shelf * 220
        x = 30
        while x < W - 40:
            width, height = rng.randint(26, 58), rng.randint(120, 190)
            colour = rng.choice(colours)
            draw.rectangle((x, base - height, x + width, base), fill=colour)
            draw.rectangle((x + 4, base - height + 20, x + width - 4, base - height + 28), fill=mix(colour, (255, 230, 160), 0.5))
            x += width + rng.randint(1, 4)
        draw.rectangle((0, base, W, base + 26), fill=(130, 86, 52))
    return img


# key: (title, alt text, painter)
PICTURES = {
    "skyline": ("أفق مدينة عند الغروب", "رسم لأبراج مدينة تضيء نوافذها عند الغروب", skyline),
    "stadium": ("ملعب كرة قدم ليلاً", "رسم لملعب كرة قدم تحت الأضواء الكاشفة والمدرجات ممتلئة", stadium),
    "chart": ("مؤشرات اقتصادية", "رسم بياني بأعمدة متصاعدة وخط اتجاه", chart),
    "network": ("شبكة رقمية", "رسم لعقد مضيئة مترابطة تمثل شبكة اتصالات", network),
    "dunes": ("كثبان رملية", "رسم لكثبان رملية متتالية تحت شمس الضحى", dunes),
    "port": ("ميناء تجاري", "رسم لرافعات وحاويات ملونة على رصيف ميناء", port),
    "arches": ("أقواس وزخارف", "رسم لأقواس تراثية وشريط من النجوم الثمانية", arches),
    "columns": ("مبنى حكومي", "رسم لواجهة مبنى بأعمدة وقبة", columns),
    "fields": ("حقول زراعية", "رسم لتلال خضراء مزروعة في يوم صاف", fields),
    "rain": ("غيوم ممطرة", "رسم لغيوم داكنة ومطر فوق مبان منخفضة", rain),
    "solar": ("ألواح شمسية", "رسم لصفوف من الألواح الشمسية في أرض صحراوية", solar),
    "books": ("رفوف كتب", "رسم لرفوف مكتبة مليئة بكتب ملونة", books),
}


def render(key):
    """The JPEG bytes of one picture; the same bytes on every run."""
    painter = PICTURES[key][2]
    img = painter(random.Random(SEED + list(PICTURES).index(key)))
    buffer = BytesIO()
    img.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def create_demo_images():
    """Save every picture as a Wagtail image, yielding (key, image) as each one is stored."""
    image_model = get_image_model()
    for key, (title, description, _) in PICTURES.items():
        data = render(key)
        image = image_model(
            title=title,
            description=description,
            file=ImageFile(BytesIO(data), name=f"demo-{key}.jpg"),
            file_size=len(data),
            file_hash=hashlib.sha1(data).hexdigest(),
        )
        image.save()
        yield key, image
