#!/usr/bin/env python3
"""Draw the illustrative images of the radpress demo site.

Every picture here is a schematic drawing made from simple shapes, blur and noise: no patient
image, no burned-in text, no metadata. Run from the repository root:

    pip install pillow
    python3 scripts/make_demo_images.py

It writes the case images beside each case (content/cases/<slug>/*.png), the people's drawn
avatars (static/images/people/), the education illustrations (static/images/education/) and the
default share image (static/images/default-share.png). The output is deterministic (fixed seeds).
"""

from __future__ import annotations

import math
import os
import random
import sys
import zlib

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
W, H = 1200, 900
MAX_BYTES = 150_000

BRAND_PRIMARY = (11, 79, 138)  # #0b4f8a
BRAND_ACCENT = (14, 124, 116)  # #0e7c74
FONT_DIR = "/usr/share/fonts/truetype/dejavu"


# --------------------------------------------------------------------------------------------
# Drawing helpers (greyscale "L" images)
# --------------------------------------------------------------------------------------------


def blank(w: int = W, h: int = H, value: int = 0) -> Image.Image:
    return Image.new("L", (w, h), value)


def mask_of(draw_fn, size=(W, H), blur: float = 0.0) -> Image.Image:
    """A soft-edged mask: draw_fn(ImageDraw) paints 255 where the shape is."""
    m = Image.new("L", size, 0)
    draw_fn(ImageDraw.Draw(m))
    if blur > 0:
        m = m.filter(ImageFilter.GaussianBlur(blur))
    return m


def paint(img: Image.Image, value: int, mask: Image.Image) -> None:
    """Fill `value` where `mask` is set, blending on soft edges."""
    img.paste(value, (0, 0), mask)


def shape(img, value, draw_fn, blur=1.5):
    paint(img, value, mask_of(draw_fn, img.size, blur))


def ellipse(img, cx, cy, rx, ry, value, blur=1.5):
    shape(img, value, lambda d: d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255), blur)


def polygon(img, pts, value, blur=1.5):
    shape(img, value, lambda d: d.polygon(pts, fill=255), blur)


def rotated_ellipse_pts(cx, cy, rx, ry, angle_deg, n=72):
    a = math.radians(angle_deg)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)))
    return pts


def blob_pts(rng, cx, cy, r, n=28, jitter=0.18, spikes=0, spike_len=0.0):
    """An irregular closed outline; `spikes` long thin points make it spiculated."""
    pts = []
    spike_at = set(rng.sample(range(n), spikes)) if spikes else set()
    for i in range(n):
        t = 2 * math.pi * i / n
        rr = r * (1 + rng.uniform(-jitter, jitter))
        if i in spike_at:
            rr = r * (1 + spike_len * rng.uniform(0.6, 1.0))
        pts.append((cx + rr * math.cos(t), cy + rr * math.sin(t)))
    return pts


def smooth_line(d: ImageDraw.ImageDraw, pts, width, fill=255):
    d.line(pts, fill=fill, width=width, joint="curve")
    r = width / 2
    for x, y in (pts[0], pts[-1]):
        d.ellipse((x - r, y - r, x + r, y + r), fill=fill)


def arc_pts(cx, cy, rx, ry, a0, a1, n=40):
    return [
        (cx + rx * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
         cy + ry * math.sin(math.radians(a0 + (a1 - a0) * i / n)))
        for i in range(n + 1)
    ]


def gaussian_noise(size, sigma: float, seed_from: Image.Image) -> Image.Image:
    """Grey noise around 128, seeded from the image it will be applied to, so every run draws
    the same pictures (Pillow's own effect_noise is not seedable)."""
    rng = random.Random(zlib.crc32(seed_from.tobytes()) ^ int(sigma * 1000) ^ (size[0] << 16))
    gauss = rng.gauss
    data = bytes(max(0, min(255, int(128 + gauss(0, sigma)))) for _ in range(size[0] * size[1]))
    return Image.frombytes("L", size, data)


def add_noise(img: Image.Image, sigma: float, scale: int = 2, mask: Image.Image | None = None) -> Image.Image:
    """Add grain (Gaussian noise made at 1/scale resolution, so it stays soft and compresses)."""
    w, h = img.size
    n = gaussian_noise((w // scale, h // scale), sigma, img).resize((w, h), Image.BICUBIC)
    noisy = ImageChops.add(img, n, 1.0, -128)
    if mask is None:
        return noisy
    return Image.composite(noisy, img, mask)


def speckle(img: Image.Image, sigma: float = 45, scale: int = 3) -> Image.Image:
    """Ultrasound speckle: multiply the tissue brightness by coarse noise, stretched sideways as
    real speckle is (the lateral resolution is poorer than the axial one)."""
    w, h = img.size
    n = gaussian_noise((w // (scale * 3), h // scale), sigma, img).resize((w, h), Image.BICUBIC)
    n = n.filter(ImageFilter.GaussianBlur(1.2))
    doubled = img.point(lambda v: min(255, int(v * 1.9)))
    return ImageChops.multiply(doubled, n)


def texture(rng, size, blobs, rmin, rmax, lo, hi, blur):
    """Cloudy texture: many soft blobs of random brightness."""
    t = Image.new("L", size, 0)
    d = ImageDraw.Draw(t)
    for _ in range(blobs):
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1])
        r = rng.uniform(rmin, rmax)
        d.ellipse((x - r, y - r, x + r, y + r), fill=int(rng.uniform(lo, hi)))
    return t.filter(ImageFilter.GaussianBlur(blur))


def arrow(img, tip, tail, value=255, width=7, head=26):
    """A plain arrow (the only annotation the demo images carry)."""
    d = ImageDraw.Draw(img)
    ang = math.atan2(tip[1] - tail[1], tip[0] - tail[0])
    base = (tip[0] - head * math.cos(ang), tip[1] - head * math.sin(ang))
    d.line([tail, base], fill=value, width=width)
    left = (base[0] + head * 0.55 * math.sin(ang), base[1] - head * 0.55 * math.cos(ang))
    right = (base[0] - head * 0.55 * math.sin(ang), base[1] + head * 0.55 * math.cos(ang))
    d.polygon([tip, left, right], fill=value)


def vessel_tree(d, rng, x, y, angle, length, width, depth, value=255, spread=28, tortuous=0.0):
    """A branching vessel: each segment wiggles, then splits in two thinner branches."""
    if depth == 0 or width < 1 or length < 6:
        return
    pts = [(x, y)]
    steps = 8
    a = angle
    for _ in range(steps):
        a += rng.uniform(-tortuous, tortuous)
        x += length / steps * math.cos(math.radians(a))
        y += length / steps * math.sin(math.radians(a))
        pts.append((x, y))
    smooth_line(d, pts, max(1, int(width)), value)
    n_children = 2 if rng.random() < 0.85 else 3
    for k in range(n_children):
        off = spread * (k - (n_children - 1) / 2) + rng.uniform(-8, 8)
        vessel_tree(d, rng, x, y, a + off, length * rng.uniform(0.62, 0.8), width * 0.7, depth - 1,
                    value, spread, tortuous)


def save(img: Image.Image, rel: str, levels: int = 64) -> None:
    """Save as PNG without metadata; posterise until the file is small enough."""
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for lv in (levels, 48, 32, 24, 16):
        out = img
        if img.mode == "L" and lv < 256:
            step = 256 // lv
            out = img.point(lambda v, s=step: min(255, (v // s) * s + s // 2))
        out.save(path, optimize=True)
        if os.path.getsize(path) <= MAX_BYTES or img.mode != "L":
            break
    print(f"{rel}: {os.path.getsize(path) // 1024} KB", file=sys.stderr)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(os.path.join(FONT_DIR, name), size)


# --------------------------------------------------------------------------------------------
# Neuro: CT head (acute infarct) and MR brain (extra-axial mass)
# --------------------------------------------------------------------------------------------

HEAD_C = (600, 450)


def head_outline(img, rx, ry, scalp, skull_value, skull_thick, scalp_value, inner_value):
    cx, cy = HEAD_C
    ellipse(img, cx, cy, rx + scalp, ry + scalp, scalp_value, 2)
    ellipse(img, cx, cy, rx, ry, skull_value, 1.2)
    ellipse(img, cx, cy, rx - skull_thick, ry - skull_thick, inner_value, 1.2)


def sulci(img, rng, rx, ry, value, count, skip=None, length=(28, 55), width=5):
    """Dark (CT, T1) or bright (T2) clefts running in from the brain surface."""
    cx, cy = HEAD_C
    m = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(m)
    for i in range(count):
        t = 2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / count
        if skip and skip(t):
            continue
        x0, y0 = cx + rx * math.cos(t), cy + ry * math.sin(t)
        ln = rng.uniform(*length)
        a = t + math.pi + rng.uniform(-0.25, 0.25)
        pts = [(x0, y0)]
        for k in range(1, 5):
            pts.append((x0 + ln * k / 4 * math.cos(a) + rng.uniform(-4, 4),
                        y0 + ln * k / 4 * math.sin(a) + rng.uniform(-4, 4)))
        smooth_line(d, pts, width)
    paint(img, value, m.filter(ImageFilter.GaussianBlur(1.6)))


def ventricles(img, value, scale=1.0, shift=0):
    cx, cy = HEAD_C
    s = scale
    # Frontal horns (butterfly) and bodies, then the atria and occipital horns.
    for side in (-1, 1):
        pts = [
            (cx + side * 8, cy - 150 * s), (cx + side * 48 * s, cy - 135 * s), (cx + side * 62 * s, cy - 95 * s),
            (cx + side * 40 * s, cy - 60 * s), (cx + side * 30 * s, cy + 10 * s), (cx + side * 44 * s, cy + 70 * s),
            (cx + side * 80 * s, cy + 110 * s), (cx + side * 70 * s, cy + 150 * s), (cx + side * 40 * s, cy + 118 * s),
            (cx + side * 14 * s, cy + 60 * s), (cx + side * 8, cy - 20 * s), (cx + side * 6, cy - 120 * s),
        ]
        pts = [(x + shift, y) for x, y in pts]
        polygon(img, pts, value, 2.2)
    # Third ventricle slit.
    shape(img, value, lambda d: d.line([(cx + shift, cy - 10), (cx + shift, cy + 45)], fill=255, width=7), 1.5)


def ct_head_basal_ganglia(rng, infarct: bool) -> Image.Image:
    img = blank()
    cx, cy = HEAD_C
    rx, ry = 330, 405
    head_outline(img, rx, ry, 16, 245, 20, 95, 132)
    brx, bry = rx - 20, ry - 20
    # Cortex (grey matter, brighter) around white matter.
    ellipse(img, cx, cy, brx - 38, bry - 40, 112, 9)
    # Interhemispheric fissure with the falx.
    for y0, y1 in ((cy - bry, cy - 150), (cy + 160, cy + bry)):
        shape(img, 40, lambda d, a=y0, b=y1: d.line([(cx, a), (cx, b)], fill=255, width=9), 1.5)
        shape(img, 170, lambda d, a=y0, b=y1: d.line([(cx, a), (cx, b)], fill=255, width=3), 0.8)
    # Basal ganglia: caudate heads, lentiform nuclei; internal capsules stay white matter.
    for side in (-1, 1):
        ellipse(img, cx + side * 62, cy - 95, 26, 38, 134, 4)
        polygon(img, [(cx + side * 105, cy - 70), (cx + side * 150, cy - 50), (cx + side * 160, cy + 40),
                      (cx + side * 120, cy + 60), (cx + side * 100, cy + 10)], 133, 5)
        ellipse(img, cx + side * 70, cy + 45, 30, 36, 131, 5)  # thalamus
        # Insular cortex and the Sylvian fissure.
        shape(img, 127, lambda d, s=side: d.line([(cx + s * 195, cy - 95), (cx + s * 205, cy + 60)], fill=255, width=18), 9)
        shape(img, 45, lambda d, s=side: d.line([(cx + s * 218, cy - 80), (cx + s * 250, cy - 20), (cx + s * 282, cy + 10)], fill=255, width=9), 2)
    ventricles(img, 38)
    # Infarct: patient's left MCA territory, on the image right (radiological convention).
    if infarct:
        wedge = [(cx + 105, cy - 100), (cx + 180, cy - 230), (cx + 268, cy - 190), (cx + 305, cy - 40),
                 (cx + 290, cy + 120), (cx + 230, cy + 170), (cx + 160, cy + 80), (cx + 110, cy + 20)]
        paint(img, 96, mask_of(lambda d: d.polygon(wedge, fill=255), blur=14))
        skip = lambda t: -0.75 < t < 0.45  # effaced sulci over the swollen territory
    else:
        skip = None
    sulci(img, rng, brx, bry, 48, 46, skip=skip)
    brain = mask_of(lambda d: d.ellipse((cx - brx, cy - bry, cx + brx, cy + bry), fill=255))
    img = add_noise(img, 9, 2, brain)
    return img.filter(ImageFilter.GaussianBlur(0.7))


def ct_head_circle_of_willis(rng) -> Image.Image:
    img = blank()
    cx, cy = HEAD_C
    rx, ry = 300, 395
    head_outline(img, rx, ry, 14, 245, 24, 95, 128)
    # Skull base: orbital roofs and petrous ridges bright, the pituitary fossa region.
    for side in (-1, 1):
        shape(img, 200, lambda d, s=side: d.line([(cx + s * 40, cy - 250), (cx + s * 150, cy - 190), (cx + s * 250, cy - 220)], fill=255, width=14), 4)
        shape(img, 215, lambda d, s=side: d.line([(cx + s * 70, cy + 90), (cx + s * 170, cy + 40), (cx + s * 255, cy + 20)], fill=255, width=22), 2)
        # Temporal lobes in the middle cranial fossae.
        ellipse(img, cx + side * 185, cy - 60, 85, 120, 126, 8)
    # Suprasellar cistern (star-shaped CSF) and the midbrain behind it.
    star = []
    for i in range(10):
        t = -math.pi / 2 + i * math.pi / 5
        r = 85 if i % 2 == 0 else 58
        star.append((cx + r * math.cos(t), cy - 70 + r * math.sin(t)))
    polygon(img, star, 42, 7)
    ellipse(img, cx, cy + 60, 80, 62, 122, 3)
    ellipse(img, cx, cy + 8, 18, 14, 40, 3)  # interpeduncular cistern
    shape(img, 40, lambda d: d.arc((cx - 95, cy - 10, cx + 95, cy + 135), 20, 160, fill=255, width=10), 2)
    # Sylvian fissures.
    for side in (-1, 1):
        shape(img, 42, lambda d, s=side: d.line([(cx + s * 80, cy - 80), (cx + s * 160, cy - 130), (cx + s * 240, cy - 140)], fill=255, width=12), 2)
    # Dense (clotted) left middle cerebral artery, image right.
    shape(img, 222, lambda d: smooth_line(d, [(cx + 60, cy - 85), (cx + 110, cy - 112), (cx + 160, cy - 128), (cx + 200, cy - 134)], 11), 1.5)
    # The normal right side: a faint, thin artery.
    shape(img, 142, lambda d: smooth_line(d, [(cx - 60, cy - 85), (cx - 110, cy - 112), (cx - 160, cy - 128)], 5), 1.5)
    # Vermis and cerebellar hemispheres at the back.
    for side in (-1, 1):
        ellipse(img, cx + side * 120, cy + 230, 115, 95, 118, 10)
    ellipse(img, cx, cy + 170, 30, 24, 45, 3)  # fourth ventricle
    sulci(img, rng, rx - 24, ry - 24, 50, 30, length=(18, 35), width=4)
    brain = mask_of(lambda d: d.ellipse((cx - rx + 24, cy - ry + 24, cx + rx - 24, cy + ry - 24), fill=255))
    img = add_noise(img, 9, 2, brain)
    return img.filter(ImageFilter.GaussianBlur(0.7))


def make_infarct_case():
    rng = random.Random(11)
    save(ct_head_basal_ganglia(rng, True), "content/cases/acute-mca-infarct/ct-basal-ganglia.png")
    save(ct_head_circle_of_willis(rng), "content/cases/acute-mca-infarct/ct-dense-mca.png")


def mr_brain(rng, weighting: str) -> Image.Image:
    """Axial MR at the level of the lateral ventricles with a right frontal convexity mass."""
    t2 = weighting == "t2"
    img = blank()
    cx, cy = HEAD_C
    rx, ry = 330, 405
    fat, bone, csf = (150, 22, 225) if t2 else (215, 22, 35)
    grey, white = (128, 95) if t2 else (105, 135)
    ellipse(img, cx, cy, rx + 22, ry + 22, fat, 2)       # scalp fat
    ellipse(img, cx, cy, rx, ry, bone, 1.5)              # skull (dark on MR)
    ellipse(img, cx, cy, rx - 14, ry - 14, 80 if t2 else 60, 3)  # diploe
    ellipse(img, cx, cy, rx - 22, ry - 22, bone, 1.5)
    ellipse(img, cx, cy, rx - 30, ry - 30, csf, 1.5)     # thin subarachnoid CSF
    ellipse(img, cx, cy, rx - 36, ry - 36, grey, 2)
    ellipse(img, cx, cy, rx - 74, ry - 78, white, 10)
    for y0, y1 in ((cy - ry + 36, cy - 150), (cy + 160, cy + ry - 36)):
        shape(img, csf, lambda d, a=y0, b=y1: d.line([(cx, a), (cx, b)], fill=255, width=8), 1.5)
    for side in (-1, 1):
        ellipse(img, cx + side * 62, cy - 95, 26, 38, grey, 4)
        polygon(img, [(cx + side * 105, cy - 70), (cx + side * 150, cy - 50), (cx + side * 160, cy + 40),
                      (cx + side * 120, cy + 60), (cx + side * 100, cy + 10)], grey, 5)
        ellipse(img, cx + side * 70, cy + 45, 30, 36, grey, 5)
    # Mass on the patient's right frontal convexity (image left, top).
    mx, my = cx - 175, cy - 235
    if t2:
        # Vasogenic oedema: finger-like bright white matter around the mass.
        oedema = [(mx + 20, my + 40), (mx + 130, my + 60), (mx + 150, my + 140), (mx + 90, my + 120),
                  (mx + 110, my + 210), (mx + 40, my + 160), (mx - 10, my + 230), (mx - 40, my + 130),
                  (mx - 90, my + 150), (mx - 60, my + 60)]
        polygon(img, oedema, 185, 16)
    ventricles(img, csf, 1.0, shift=18)  # pushed a little to the image right by the mass
    sulci(img, rng, rx - 36, ry - 36, csf, 46, skip=lambda t: -2.6 < t < -1.6, width=4 if not t2 else 5)
    # The mass: a broad base on the inner table, a rounded inner margin, clipped to the skull.
    base_angle = math.atan2(my - cy, mx - cx)
    bx, by = cx + (rx - 30) * math.cos(base_angle), cy + (ry - 30) * math.sin(base_angle)
    ux, uy = (cx - bx), (cy - by)
    norm = math.hypot(ux, uy)
    ux, uy = ux / norm, uy / norm
    mcx, mcy = bx + ux * 30, by + uy * 30
    tilt = math.degrees(math.atan2(uy, ux))
    inside = mask_of(lambda d: d.ellipse((cx - rx + 26, cy - ry + 26, cx + rx - 26, cy + ry - 26), fill=255), blur=1.5)
    def mass_mask(grow):
        m = mask_of(lambda d: d.polygon(rotated_ellipse_pts(mcx, mcy, 100 + grow, 128 + grow, tilt), fill=255), blur=2.5)
        return ImageChops.multiply(m, inside)
    if t2:
        paint(img, csf, mass_mask(8))  # CSF cleft around it
    paint(img, 140 if t2 else 232, mass_mask(0))
    # Dural tail: enhancing dura running away from both edges of the base (post-contrast T1).
    if not t2:
        for sgn in (-1, 1):
            a0 = base_angle + sgn * 0.30
            a1 = base_angle + sgn * 0.50
            pts = [(cx + (rx - 29) * math.cos(a0 + (a1 - a0) * k / 10), cy + (ry - 29) * math.sin(a0 + (a1 - a0) * k / 10)) for k in range(11)]
            m = Image.new("L", img.size, 0)
            d = ImageDraw.Draw(m)
            for k in range(10):
                d.line([pts[k], pts[k + 1]], fill=255, width=max(2, 8 - k // 2))
            paint(img, 210, m.filter(ImageFilter.GaussianBlur(1.2)))
    head = mask_of(lambda d: d.ellipse((cx - rx - 22, cy - ry - 22, cx + rx + 22, cy + ry + 22), fill=255))
    img = add_noise(img, 7, 2, head)
    return img.filter(ImageFilter.GaussianBlur(0.8))


def make_meningioma_case():
    rng = random.Random(23)
    save(mr_brain(rng, "t1c"), "content/cases/unknown-headaches-and-first-seizure/mr-t1-post-contrast.png")
    save(mr_brain(random.Random(23), "t2"), "content/cases/unknown-headaches-and-first-seizure/mr-t2.png")


# --------------------------------------------------------------------------------------------
# Ultrasound
# --------------------------------------------------------------------------------------------


def linear_field(w=W, h=H):
    """The footprint of a linear probe: a rectangle with a black border."""
    return mask_of(lambda d: d.rectangle((200, 60, 1000, 860), fill=255))


def curved_field(apex=(600, -120), r0=190, r1=1000, half_angle=36):
    def draw(d):
        pts = arc_pts(apex[0], apex[1], r1, r1, 90 - half_angle, 90 + half_angle, 60)
        pts += arc_pts(apex[0], apex[1], r0, r0, 90 + half_angle, 90 - half_angle, 30)
        d.polygon(pts, fill=255)
    return mask_of(draw)


def us_finish(img, field, sigma=45):
    img = speckle(img, sigma)
    img = img.filter(ImageFilter.GaussianBlur(0.9))
    out = blank()
    out.paste(img, (0, 0), field)
    return out


def us_appendix(rng, view: str) -> Image.Image:
    img = blank(value=70)
    field = linear_field()
    d = ImageDraw.Draw(img)
    # Skin and subcutaneous fat, then the abdominal wall muscles (striated).
    d.rectangle((200, 60, 1000, 78), fill=170)
    for y in range(150, 300, 18):
        shape(img, 100, lambda dd, yy=y: dd.line([(200, yy), (1000, yy + rng.randint(-6, 6))], fill=255, width=5), 2)
    shape(img, 150, lambda dd: dd.line([(200, 305), (1000, 300)], fill=255, width=9), 2)
    if view == "long":
        # Inflamed, echogenic fat around a blind-ending tube.
        polygon(img, [(200, 430), (520, 380), (880, 410), (900, 560), (820, 650), (200, 660)], 125, 30)
        # Outer hypoechoic muscular wall, bright submucosa, mucosa, dark fluid-filled lumen; the
        # tube runs in from the left edge and ends blindly on the right.
        path = [(150 + 650 * t, 560 - 70 * math.sin(math.pi * t * 0.9)) for t in [k / 20 for k in range(21)]]
        for width, value in ((150, 28), (106, 150), (78, 40), (50, 14)):
            shape(img, value, lambda dd, w=width: smooth_line(dd, path, w), 2)
        # A bright curved focus in the lumen with a clean shadow below it.
        sx, sy = path[16]
        shape(img, 22, lambda dd: dd.polygon([(sx - 24, sy + 18), (sx + 24, sy + 18), (sx + 34, 860), (sx - 34, 860)], fill=255), 8)
        shape(img, 235, lambda dd: dd.arc((sx - 26, sy - 24, sx + 26, sy + 28), 180, 360, fill=255, width=11), 1.5)
    else:
        cx, cy, r = 600, 520, 95
        ellipse(img, cx, cy, r + 80, r + 70, 125, 26)  # echogenic inflamed fat
        ellipse(img, cx, cy, r, r, 28, 3)              # hypoechoic muscular wall
        ellipse(img, cx, cy, r - 24, r - 24, 155, 2)   # echogenic submucosa
        ellipse(img, cx, cy, r - 38, r - 38, 40, 2)    # mucosa
        ellipse(img, cx, cy, r - 52, r - 52, 12, 2)    # fluid in the lumen
        # Deeper bowel loop and the iliac vessels.
        ellipse(img, 880, 700, 60, 42, 20, 4)
        ellipse(img, 330, 730, 55, 45, 20, 4)
    # Posterior acoustic enhancement is skipped; the deep field fades a little.
    fade = Image.linear_gradient("L").resize((W, H)).point(lambda v: 255 - v // 3)
    img = ImageChops.multiply(img, fade)
    return us_finish(img, field)


def make_appendicitis_case():
    rng = random.Random(31)
    save(us_appendix(rng, "long"), "content/cases/acute-appendicitis/us-longitudinal.png")
    save(us_appendix(rng, "trans"), "content/cases/acute-appendicitis/us-transverse.png")


# --------------------------------------------------------------------------------------------
# Chest radiograph
# --------------------------------------------------------------------------------------------


def chest_lungs():
    """Outlines of the right lung (image left) and left lung (image right)."""
    right = [(560, 170), (500, 148), (430, 168), (360, 240), (310, 340), (282, 460), (266, 580), (258, 690),
             (300, 708), (380, 675), (470, 642), (540, 632), (552, 450)]
    left = [(650, 170), (710, 148), (780, 168), (850, 240), (900, 340), (928, 460), (944, 580), (952, 720),
            (900, 738), (820, 702), (760, 668), (700, 560), (660, 450)]
    return right, left


def smooth_closed(pts, n=12):
    """Catmull-Rom through a closed outline, for smooth curves from a few points."""
    out = []
    k = len(pts)
    for i in range(k):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[(i + 1) % k], pts[(i + 2) % k]
        for j in range(n):
            t = j / n
            t2, t3 = t * t, t * t * t
            out.append(tuple(0.5 * ((2 * p1[c]) + (-p0[c] + p2[c]) * t + (2 * p0[c] - 5 * p1[c] + 4 * p2[c] - p3[c]) * t2
                                    + (-p0[c] + 3 * p1[c] - 3 * p2[c] + p3[c]) * t3) for c in (0, 1)))
    return out


def smooth_open(pts, n=12):
    """Catmull-Rom through an open path, ending exactly on its last point."""
    ext = [pts[0]] + list(pts) + [pts[-1]]
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        for j in range(n):
            t = j / n
            t2, t3 = t * t, t * t * t
            out.append(tuple(0.5 * ((2 * p1[c]) + (-p0[c] + p2[c]) * t + (2 * p0[c] - 5 * p1[c] + 4 * p2[c] - p3[c]) * t2
                                    + (-p0[c] + 3 * p1[c] - 3 * p2[c] + p3[c]) * t3) for c in (0, 1)))
    out.append(pts[-1])
    return out


def shrink(pts, cx, cy, f):
    return [(cx + (x - cx) * f, cy + (y - cy) * f) for x, y in pts]


def chest_radiograph(rng, pneumothorax: bool) -> Image.Image:
    img = blank()
    # Neck, shoulders and chest wall soft tissue.
    polygon(img, smooth_closed([(520, -20), (680, -20), (700, 80), (930, 110), (1110, 200), (1190, 420),
                                (1200, 900), (0, 900), (10, 420), (90, 200), (270, 110), (500, 80)], 6), 112, 6)
    right, left = chest_lungs()
    right, left = smooth_closed(right), smooth_closed(left)
    right_mask = mask_of(lambda d: d.polygon(right, fill=255), blur=5)
    left_mask = mask_of(lambda d: d.polygon(left, fill=255), blur=5)
    paint(img, 52, right_mask)
    paint(img, 52, left_mask)
    # Lung markings: vessels branching out from the hila, inside the aerated lung only.
    marks = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(marks)
    for hx, hy, base in ((525, 430, 180), (685, 440, 0)):
        for k in range(7):
            ang = base + (-75 + k * 25 if base == 0 else 75 - k * 25) + rng.uniform(-6, 6)
            vessel_tree(d, rng, hx, hy, ang, 80, 8, 5, 255, spread=34, tortuous=14)
    aerated = ImageChops.add(right_mask, left_mask)
    pleural_line = None
    if pneumothorax:
        # The right lung has fallen away from the apex and the lateral chest wall: outside the
        # visceral pleural line there is air with no markings.
        collapsed = smooth_closed(shrink(chest_lungs()[0], 545, 470, 0.74))
        collapsed_mask = mask_of(lambda dd: dd.polygon(collapsed, fill=255), blur=2)
        aerated = ImageChops.add(ImageChops.multiply(right_mask, collapsed_mask), left_mask)
        paint(img, 34, ImageChops.subtract(right_mask, collapsed_mask))
        paint(img, 62, collapsed_mask)
        pleural_line = [p for p in collapsed if p[0] < 548]
    marks = marks.filter(ImageFilter.GaussianBlur(2.0))
    marks = ImageChops.multiply(marks, aerated)
    img = ImageChops.add(img, marks.point(lambda v: v // 5))
    if pleural_line:
        shape(img, 165, lambda dd: dd.line(pleural_line, fill=255, width=3, joint="curve"), 0.9)
    # Ribs: posterior ribs run out from the spine, rise a little, then sweep down laterally.
    rib_layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(rib_layer)
    for i in range(10):
        y = 150 + i * 56
        for side in (-1, 1):
            span = 300 + min(i, 5) * 14
            pts = [(600 + side * (35 + span * t), y - 28 * math.sin(math.pi * t * 0.7) + 95 * t * t) for t in
                   [k / 12 for k in range(13)]]
            d.line(pts, fill=255, width=20, joint="curve")
    rib_layer = rib_layer.filter(ImageFilter.GaussianBlur(2.5))
    img = ImageChops.add(img, rib_layer.point(lambda v: v // 6))
    # Mediastinum, heart (more to the left, image right), aortic knuckle.
    medi = smooth_closed([(558, 120), (648, 120), (660, 320), (705, 360), (825, 430), (895, 560), (905, 690),
                          (800, 725), (560, 725), (505, 640), (508, 500), (540, 380), (552, 250)], 8)
    polygon(img, medi, 200, 6)
    ellipse(img, 672, 345, 42, 32, 205, 6)
    # Upper abdomen below the diaphragm domes, with the gastric bubble on the left.
    polygon(img, smooth_closed([(0, 900), (80, 760), (200, 712), (300, 702), (400, 672), (480, 648), (600, 700),
                                (760, 672), (860, 706), (960, 742), (1120, 760), (1200, 900)], 6), 180, 6)
    ellipse(img, 840, 775, 60, 30, 78, 6)
    # Spine through the mediastinum, clavicles.
    for y in range(110, 720, 48):
        shape(img, 222, lambda dd, yy=y: dd.rounded_rectangle((576, yy, 624, yy + 38), radius=8, fill=255), 4)
    for side in (-1, 1):
        cl = [(600 + side * 40, 150), (600 + side * 160, 132), (600 + side * 300, 108), (600 + side * 380, 122)]
        shape(img, 215, lambda dd, p=cl: smooth_line(dd, p, 22), 3)
    img = add_noise(img, 6, 2)
    return img.filter(ImageFilter.GaussianBlur(0.8)), pleural_line


def make_pneumothorax_case():
    rng = random.Random(41)
    full, line = chest_radiograph(rng, True)
    save(full, "content/cases/unknown-sudden-chest-pain/dx-chest-pa.png")
    # A closer look at the right apex with two arrows on the edge of the lung.
    x0, y0, f = 220, 120, 1200 / 500
    crop = full.crop((x0, y0, x0 + 500, y0 + 375)).resize((1200, 900), Image.LANCZOS)
    top = min(line, key=lambda p: p[1])
    side = min(line, key=lambda p: p[0] if p[1] < 430 else 9999)
    for (px, py), (dx, dy) in ((top, (-110, -90)), (side, (-160, 30))):
        tip = ((px - x0) * f - 12, (py - y0) * f - 8 if dy < 0 else (py - y0) * f)
        arrow(crop, tip, (tip[0] + dx, tip[1] + dy), 255)
    save(crop, "content/cases/unknown-sudden-chest-pain/dx-chest-apex-arrows.png")


# --------------------------------------------------------------------------------------------
# Breast: mammogram (MLO, CC) and ultrasound
# --------------------------------------------------------------------------------------------


def spiculated_mass(img, rng, cx, cy, r, core_value, spicule_value, n_spicules=22):
    m = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(m)
    for _ in range(n_spicules):
        a = rng.uniform(0, 2 * math.pi)
        ln = r * rng.uniform(1.6, 3.2)
        pts = [(cx + r * 0.6 * math.cos(a), cy + r * 0.6 * math.sin(a))]
        for k in range(1, 6):
            aa = a + rng.uniform(-0.08, 0.08)
            pts.append((cx + (r * 0.6 + ln * k / 5) * math.cos(aa), cy + (r * 0.6 + ln * k / 5) * math.sin(aa)))
        for k in range(5):
            d.line([pts[k], pts[k + 1]], fill=255, width=max(1, 5 - k))
    paint(img, spicule_value, m.filter(ImageFilter.GaussianBlur(1.3)))
    polygon(img, blob_pts(rng, cx, cy, r, 30, 0.25), core_value, 3)


def mammogram(rng, view: str) -> Image.Image:
    """Left breast, chest wall on the image left, nipple pointing right."""
    img = blank()
    if view == "mlo":
        outline = smooth_closed([(0, 30), (260, 60), (560, 180), (800, 360), (930, 540), (900, 700),
                                 (720, 820), (420, 880), (0, 890)], 10)
    else:
        outline = smooth_closed([(0, 90), (300, 110), (640, 220), (900, 420), (930, 470), (900, 520),
                                 (640, 710), (300, 800), (0, 820)], 10)
    breast = mask_of(lambda d: d.polygon(outline, fill=255), blur=3)
    paint(img, 70, breast)
    # Fibroglandular tissue: a cloudy cone pointing to the nipple, with fat lobules between.
    cone = mask_of(lambda d: d.polygon(
        [(0, 250 if view == "mlo" else 200), (520, 330), (860, 500), (520, 690), (0, 760)], fill=255), blur=60)
    tex = texture(rng, img.size, 900, 8, 30, 90, 190, 6)
    glandular = ImageChops.multiply(cone, breast)
    img = Image.composite(ImageChops.lighter(img, tex), img, glandular)
    if view == "mlo":
        # Pectoralis major: a bright triangle along the upper chest wall.
        polygon(img, [(0, 20), (330, 70), (0, 520)], 175, 10)
        mass_at = (560, 470)
    else:
        mass_at = (560, 420)
    spiculated_mass(img, rng, *mass_at, 34, 225, 175)
    # Skin line and nipple.
    shape(img, 150, lambda d: d.line(outline + [outline[0]], fill=255, width=4), 1.2)
    img = add_noise(img, 5, 2, breast)
    return img.filter(ImageFilter.GaussianBlur(0.6))


def us_breast_mass(rng) -> Image.Image:
    img = blank(value=60)
    field = linear_field()
    d = ImageDraw.Draw(img)
    d.rectangle((200, 60, 1000, 74), fill=180)  # skin
    # Subcutaneous fat lobules (darker), then the brighter fibroglandular layer, then pectoralis.
    for _ in range(14):
        ellipse(img, rng.uniform(220, 980), rng.uniform(110, 220), rng.uniform(50, 90), rng.uniform(25, 40), 45, 6)
    polygon(img, [(200, 260), (1000, 240), (1000, 560), (200, 600)], 120, 18)
    for y in range(660, 860, 22):
        shape(img, 95, lambda dd, yy=y: dd.line([(200, yy), (1000, yy - 30)], fill=255, width=6), 2)
    # Irregular hypoechoic mass, taller than wide, with an echogenic halo and a shadow below.
    cx, cy = 600, 400
    shape(img, 20, lambda dd: dd.polygon([(cx - 70, cy + 70), (cx + 70, cy + 70), (cx + 120, 860), (cx - 120, 860)], fill=255), 20)
    polygon(img, blob_pts(rng, cx, cy, 120, 40, 0.10, spikes=8, spike_len=0.3), 150, 8)
    pts = [(x, cy + (y - cy) * 1.35) for x, y in blob_pts(rng, cx, cy, 90, 36, 0.14, spikes=7, spike_len=0.32)]
    polygon(img, pts, 18, 3)
    return us_finish(img, field)


def make_breast_case():
    rng = random.Random(53)
    save(mammogram(rng, "mlo"), "content/cases/spiculated-breast-mass/mg-mlo.png")
    save(mammogram(rng, "cc"), "content/cases/spiculated-breast-mass/mg-cc.png")
    save(us_breast_mass(rng), "content/cases/spiculated-breast-mass/us-mass.png")


# --------------------------------------------------------------------------------------------
# Wrist radiograph (scaphoid view)
# --------------------------------------------------------------------------------------------


def bone(img, pts, value=200, cortex=232, blur=2.0, width=7):
    polygon(img, pts, value, blur)
    shape(img, cortex, lambda d: d.line(list(pts) + [pts[0], pts[1]], fill=255, width=width, joint="curve"), 1.5)


def wrist_radiograph(rng, fracture: bool) -> Image.Image:
    """Right wrist PA in ulnar deviation: radius on the image left, ulna on the right."""
    img = blank()
    # Soft tissue of the forearm, wrist and hand.
    polygon(img, smooth_closed([(300, 900), (260, 600), (250, 430), (220, 300), (260, 0), (940, 0),
                                (960, 300), (930, 450), (900, 620), (860, 900)], 8), 78, 10)
    # Radius and ulna.
    bone(img, smooth_closed([(360, 900), (370, 720), (330, 620), (320, 560), (470, 540), (610, 560),
                             (600, 640), (560, 720), (560, 900)], 6), 190)
    shape(img, 140, lambda d: d.rectangle((420, 640, 520, 900), fill=255), 18)  # medullary cavity
    bone(img, smooth_closed([(660, 900), (650, 700), (640, 610), (700, 585), (750, 610), (735, 700), (740, 900)], 6), 185)
    # Proximal carpal row: scaphoid (long, oblique), lunate, triquetrum, pisiform.
    scaphoid = smooth_closed(rotated_ellipse_pts(430, 455, 105, 42, -62, 16), 2)
    bone(img, scaphoid, 205)
    bone(img, smooth_closed([(520, 470), (600, 455), (640, 500), (610, 545), (540, 540)], 6), 205)
    bone(img, smooth_closed(rotated_ellipse_pts(690, 470, 55, 42, 20, 14), 2), 205)
    ellipse(img, 700, 455, 30, 28, 225, 4)
    # Distal row: trapezium, trapezoid, capitate, hamate.
    bone(img, smooth_closed(rotated_ellipse_pts(370, 330, 55, 45, -20, 14), 2), 205)
    bone(img, smooth_closed(rotated_ellipse_pts(460, 320, 40, 50, 0, 14), 2), 205)
    bone(img, smooth_closed([(520, 420), (515, 330), (540, 260), (600, 250), (615, 330), (600, 430)], 6), 205)
    bone(img, smooth_closed([(630, 420), (625, 320), (660, 260), (730, 300), (735, 400)], 6), 205)
    # Metacarpal bases running up and off the image.
    for x0, x1, w in ((330, 250, 56), (455, 440, 50), (560, 565, 48), (665, 690, 44), (745, 800, 40)):
        bone(img, smooth_closed([(x0 - w / 2, 260), (x0 + w / 2, 260), (x1 + w / 3, 0), (x1 - w / 3, 0)], 4), 195)
    if fracture:
        # A thin lucent line across the waist of the scaphoid, square to its long axis.
        a = math.radians(-62)
        ux, uy = math.cos(a), math.sin(a)
        px, py = -uy, ux
        cx, cy = 430 + ux * 8, 455 + uy * 8
        line = [(cx - px * 50 + rng.uniform(-2, 2), cy - py * 50), (cx - px * 15 + ux * 5, cy - py * 15 + uy * 5),
                (cx + px * 15 - ux * 4, cy + py * 15 - uy * 4), (cx + px * 50, cy + py * 50)]
        m = mask_of(lambda d: d.line(line, fill=255, width=6, joint="curve"), blur=1.2)
        m = ImageChops.multiply(m, mask_of(lambda d: d.polygon(scaphoid, fill=255)))
        paint(img, 95, m)
    img = add_noise(img, 7, 2)
    return img.filter(ImageFilter.GaussianBlur(0.8))


def make_scaphoid_case():
    rng = random.Random(61)
    full = wrist_radiograph(rng, True)
    save(full, "content/cases/unknown-wrist-pain-after-fall/cr-wrist-scaphoid-view.png")
    x0, y0 = 230, 250
    crop = full.crop((x0, y0, x0 + 400, y0 + 300)).resize((1200, 900), Image.LANCZOS)
    arrow(crop, (560, 600), (760, 760), 255)
    save(crop, "content/cases/unknown-wrist-pain-after-fall/cr-wrist-magnified.png")


# --------------------------------------------------------------------------------------------
# CT chest: pulmonary angiogram
# --------------------------------------------------------------------------------------------


def ct_body_base(rng, lungs=True, fat=70, soft=125, lung_value=8):
    """Axial chest at mediastinal window: skin, fat, muscle, ribs, spine and two black lungs."""
    img = blank()
    cx, cy = 600, 450
    ellipse(img, cx, cy, 520, 330, soft, 2)
    ellipse(img, cx, cy, 505, 315, fat, 3)
    ellipse(img, cx, cy + 10, 470, 285, soft - 10, 6)  # chest wall muscles
    # Spine: vertebral body, canal, posterior elements.
    ellipse(img, cx, cy + 170, 62, 55, 245, 2)
    ellipse(img, cx, cy + 170, 50, 44, 175, 3)
    ellipse(img, cx, cy + 250, 26, 22, 60, 2)
    shape(img, 235, lambda d: d.polygon([(cx - 70, cy + 235), (cx + 70, cy + 235), (cx + 30, cy + 300), (cx - 30, cy + 300)], fill=255), 3)
    if lungs:
        for side in (-1, 1):
            pts = smooth_closed([(cx + side * 90, cy - 200), (cx + side * 300, cy - 230), (cx + side * 440, cy - 90),
                                 (cx + side * 450, cy + 90), (cx + side * 360, cy + 230), (cx + side * 180, cy + 250),
                                 (cx + side * 95, cy + 150), (cx + side * 120, cy - 40)], 10)
            polygon(img, pts, lung_value, 2)
    # Ribs cut across: short bright ovals around the chest wall.
    for k in range(16):
        t = math.pi * (0.08 + 0.84 * k / 15)
        for side in (-1, 1):
            x = cx + side * 478 * math.sin(t)
            y = cy - 300 * math.cos(t) + 10
            ellipse(img, x, y, 15, 10, 235, 2)
    # Sternum.
    ellipse(img, cx, cy - 285, 36, 16, 230, 2)
    return img


def ctpa(rng, level: str) -> Image.Image:
    cx, cy = 600, 450
    img = ct_body_base(rng)
    # Mediastinal fat between the lungs.
    polygon(img, [(cx - 110, cy - 250), (cx + 110, cy - 250), (cx + 130, cy + 120), (cx - 130, cy + 120)], 75, 12)
    if level == "pa":
        ellipse(img, cx - 45, cy - 110, 58, 58, 205, 2)        # ascending aorta
        ellipse(img, cx - 120, cy - 120, 28, 26, 160, 2)       # superior vena cava
        ellipse(img, cx + 100, cy + 120, 48, 48, 200, 2)       # descending aorta
        # Pulmonary trunk and its branches, brightly opacified.
        trunk = (cx + 45, cy - 150)
        branches = {
            "trunk": [trunk, (cx + 55, cy - 70)],
            "right": [(cx + 40, cy - 60), (cx - 40, cy - 20), (cx - 150, cy - 10), (cx - 230, cy + 10)],
            "left": [(cx + 60, cy - 60), (cx + 150, cy - 40), (cx + 220, cy + 10)],
        }
        shape(img, 250, lambda d: smooth_line(d, branches["trunk"], 110), 2)
        shape(img, 250, lambda d: smooth_line(d, branches["right"], 62), 2)
        shape(img, 250, lambda d: smooth_line(d, branches["left"], 66), 2)
        # Clot: a dark saddle over the bifurcation and tails into both main arteries.
        clot = [(cx - 80, cy - 18), (cx - 10, cy - 45), (cx + 55, cy - 62), (cx + 120, cy - 48), (cx + 175, cy - 30)]
        shape(img, 95, lambda d: smooth_line(d, clot, 24), 3)
        ellipse(img, cx - 170, cy - 5, 18, 14, 100, 3)
        # Segmental vessels in the lungs (lighter, as they are smaller).
        v = Image.new("L", img.size, 0)
        d = ImageDraw.Draw(v)
        for (x, y, a) in ((cx - 230, cy + 10, 180), (cx + 220, cy + 10, 0)):
            for k in range(5):
                vessel_tree(d, rng, x, y, a + (-60 + k * 30) * (1 if a == 0 else -1), 60, 12, 3, 255, 30, 10)
        img = ImageChops.lighter(img, v.filter(ImageFilter.GaussianBlur(2)).point(lambda q: q * 190 // 255))
    else:
        # Ventricular level: the right ventricle is larger than the left, septum pushed left.
        heart = smooth_closed([(cx - 140, cy - 120), (cx + 60, cy - 220), (cx + 290, cy - 130), (cx + 330, cy + 30),
                               (cx + 230, cy + 120), (cx - 40, cy + 90), (cx - 160, cy)], 10)
        polygon(img, heart, 115, 3)  # myocardium
        polygon(img, smooth_closed([(cx - 120, cy - 100), (cx + 40, cy - 190), (cx + 150, cy - 130), (cx + 170, cy - 40),
                                    (cx + 100, cy + 40), (cx - 30, cy + 60), (cx - 130, cy - 10)], 10), 245, 2)  # RV
        polygon(img, smooth_closed([(cx + 200, cy - 90), (cx + 270, cy - 70), (cx + 290, cy + 10), (cx + 220, cy + 70),
                                    (cx + 175, cy + 10)], 10), 175, 2)  # LV, less opacified
        ellipse(img, cx + 90, cy + 150, 46, 46, 190, 2)        # descending aorta
    img = add_noise(img, 10, 2, mask_of(lambda d: d.ellipse((80, 120, 1120, 780), fill=255)))
    return img.filter(ImageFilter.GaussianBlur(0.7))


def make_pe_case():
    rng = random.Random(71)
    save(ctpa(rng, "pa"), "content/cases/pulmonary-embolism-ctpa/ctpa-main-arteries.png")
    save(ctpa(rng, "ventricles"), "content/cases/pulmonary-embolism-ctpa/ctpa-ventricles.png")


# --------------------------------------------------------------------------------------------
# Nuclear medicine: whole-body bone scan
# --------------------------------------------------------------------------------------------


def skeleton(d, ox, oy, s, value, rng, hot=None):
    """A simplified skeleton seen from the front, drawn into `d` (a mask); uptake as brightness."""
    def ln(pts, w, v=value):
        d.line([(ox + x * s, oy + y * s) for x, y in pts], fill=v, width=max(1, int(w * s)), joint="curve")

    def el(x, y, rx, ry, v=value, width=None):
        box = (ox + (x - rx) * s, oy + (y - ry) * s, ox + (x + rx) * s, oy + (y + ry) * s)
        if width:
            d.ellipse(box, outline=v, width=max(1, int(width * s)))
        else:
            d.ellipse(box, fill=v)

    el(0, 60, 58, 66, value * 2 // 3)                 # skull
    el(0, 60, 58, 66, value, 16)
    ln([(-30, 110), (0, 132), (30, 110)], 16)         # mandible
    for i in range(24):                                # spine
        el(0, 150 + i * 14.5, 15 + i * 0.3, 7)
    for side in (-1, 1):
        ln([(side * 10, 160), (side * 60, 150), (side * 100, 160)], 12)          # clavicle
        d.polygon([(ox + x * s, oy + y * s) for x, y in [(side * 60, 170), (side * 100, 165), (side * 85, 250)]],
                  fill=value * 3 // 4)                                            # scapula
        for r in range(10):                                                       # ribs
            y = 175 + r * 16
            ln([(side * 14, y), (side * (60 + r * 3), y - 8), (side * (92 + r * 2), y + 20), (side * (80 + r * 3), y + 55)], 8, value * 3 // 4)
        ln([(side * 100, 165), (side * 118, 260), (side * 125, 330)], 20)       # humerus
        el(side * 100, 168, 16, 16, value)                                       # shoulder
        ln([(side * 125, 330), (side * 135, 420), (side * 140, 470)], 15)       # forearm
        el(side * 145, 495, 18, 24, value)                                       # hand
        pel = [(side * 15, 500), (side * 95, 462), (side * 108, 520), (side * 62, 575), (side * 18, 590)]
        d.polygon([(ox + x * s, oy + y * s) for x, y in pel], fill=value * 3 // 4, outline=value, width=max(1, int(14 * s)))
        ln([(side * 75, 560), (side * 85, 700), (side * 88, 830)], 26)          # femur
        el(side * 76, 560, 20, 20, value)                                        # hip
        el(side * 86, 840, 22, 16, value)                                        # knee
        ln([(side * 86, 850), (side * 82, 980), (side * 80, 1050)], 20)         # tibia
        ln([(side * 80, 1055), (side * 98, 1078)], 18)                           # foot
    ln([(0, 500), (0, 570)], 34)                                                  # sacrum
    if hot:
        for x, y, r in hot:
            el(x, y, r * 1.3, r * 1.2, 255)


def bone_scan(rng) -> Image.Image:
    img = blank()
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    hot_spots = [(0, 238, 10), (0, 310, 11), (0, 398, 9), (-58, 212, 7), (73, 262, 7), (-60, 310, 6),
                 (55, 515, 12), (-40, 545, 9), (80, 610, 10), (0, 470, 8), (-92, 200, 6)]
    # Anterior view (patient's right on the image left) and posterior view (mirrored).
    skeleton(d, 330, 20, 0.8, 115, rng, hot_spots)
    mirrored = [(-x, y, r) for x, y, r in hot_spots]
    skeleton(d, 870, 20, 0.8, 130, rng, mirrored)
    layer = layer.filter(ImageFilter.GaussianBlur(5))
    # Kidneys faint, bladder bright (tracer excreted in the urine).
    for ox, sgn in ((330, 1), (870, -1)):
        for side in (-1, 1):
            ellipse(layer, ox + side * 45 * 0.8, 20 + 400 * 0.8, 14, 26, 70, 6)
        ellipse(layer, ox, 20 + 600 * 0.8, 30, 22, 230, 6)
    img = ImageChops.lighter(img, layer)
    img = add_noise(img, 12, 3, mask_of(lambda dd: dd.rectangle((100, 0, 1100, 900), fill=255)))
    img = img.point(lambda v: 0 if v < 14 else v)
    return img.filter(ImageFilter.GaussianBlur(1.2))


def make_bone_scan_case():
    rng = random.Random(83)
    save(bone_scan(rng), "content/cases/bone-metastases-bone-scan/nm-whole-body.png")


# --------------------------------------------------------------------------------------------
# Angiography (uterine artery embolisation) and MR pelvis
# --------------------------------------------------------------------------------------------


def uterine_angiogram(rng, after: bool) -> Image.Image:
    img = blank(value=20)
    vessels = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(vessels)
    # Catheter from the other groin, up and over the aortic bifurcation, tip in the uterine artery.
    cath = [(40, 890), (230, 720), (320, 450), (370, 270), (450, 200), (520, 240), (525, 340), (505, 440)]
    d.line(smooth_open(cath, 8), fill=150, width=8, joint="curve")
    # The uterine artery: descends, then turns up along the uterus in a tightening corkscrew.
    pts = []
    phase = 0.0
    for k in range(120):
        t = k / 119
        phase += 0.42 + 0.2 * t + rng.uniform(-0.05, 0.05)
        amp = 4 + 9 * t
        x = 505 + 250 * t + amp * math.cos(phase)
        y = 440 + 170 * math.sin(math.pi * t * 0.8) - 150 * t * t + amp * math.sin(phase) * 0.6
        pts.append((x, y))
    d.line(pts, fill=255, width=10, joint="curve")
    if not after:
        # Hypervascular fibroid: a rounded blush of many small tortuous vessels.
        fx, fy, fr = 820, 360, 170
        blush = Image.new("L", img.size, 0)
        bd = ImageDraw.Draw(blush)
        bd.ellipse((fx - fr, fy - fr, fx + fr, fy + fr), fill=110)
        vessels.paste(blush.filter(ImageFilter.GaussianBlur(30)), (0, 0), blush)
        for k in range(14):
            a = 2 * math.pi * k / 14
            vessel_tree(d, rng, fx + fr * 0.95 * math.cos(a), fy + fr * 0.95 * math.sin(a), math.degrees(a) + 180,
                        70, 5, 4, 255, 40, 22)
        vessel_tree(d, rng, pts[-1][0], pts[-1][1], -60, 70, 7, 3, 255, 35, 18)
    else:
        # After particles: the vessel stops short, the fibroid branches no longer fill.
        vessel_tree(d, rng, pts[-1][0], pts[-1][1], -60, 40, 6, 2, 255, 30, 14)
    # Normal small branches to the cervix and vagina.
    vessel_tree(d, rng, pts[12][0], pts[12][1], 100, 70, 5, 3, 255, 40, 16)
    vessels = vessels.filter(ImageFilter.GaussianBlur(1.6))
    img = ImageChops.lighter(img, vessels)
    # Faint bony pelvis in the background (subtraction is never perfect).
    bonesm = Image.new("L", img.size, 0)
    bd = ImageDraw.Draw(bonesm)
    bd.arc((80, 80, 1120, 1100), 200, 340, fill=40, width=30)
    bd.ellipse((330, 640, 520, 820), outline=35, width=20)
    img = ImageChops.lighter(img, bonesm.filter(ImageFilter.GaussianBlur(12)))
    img = add_noise(img, 5, 3)
    return img.filter(ImageFilter.GaussianBlur(0.6))


def mr_pelvis_sagittal(rng) -> Image.Image:
    """Sagittal T2 of the female pelvis: anterior to the image left. Bladder bright, fibroid dark."""
    img = blank()
    body = smooth_closed([(140, 0), (1000, 0), (1060, 300), (1130, 560), (1100, 800), (950, 900), (300, 900),
                          (170, 700), (120, 420)], 10)
    polygon(img, body, 185, 3)                                   # subcutaneous fat (bright on T2)
    inner = smooth_closed([(230, 0), (930, 0), (960, 300), (1030, 560), (1000, 760), (900, 860), (340, 860),
                           (250, 680), (215, 420)], 10)
    polygon(img, inner, 105, 4)                                  # muscle and bowel
    # Lumbar spine, sacrum and coccyx curving down the back.
    for k in range(4):
        y = -20 + k * 80
        shape(img, 140, lambda d, yy=y: d.rounded_rectangle((790, yy, 900, yy + 62), radius=12, fill=255), 3)
        shape(img, 70, lambda d, yy=y: d.line([(790, yy + 70), (900, yy + 72)], fill=255, width=10), 2)
    sac = [(900, 320), (960, 420), (990, 560), (960, 700), (900, 780)]
    shape(img, 135, lambda d: smooth_line(d, sac, 70), 4)
    shape(img, 40, lambda d: smooth_line(d, [(x + 42, y) for x, y in sac], 10), 2)
    # Bowel loops above the uterus.
    for _ in range(9):
        ellipse(img, rng.uniform(330, 760), rng.uniform(40, 200), rng.uniform(30, 55), rng.uniform(22, 40), rng.choice((60, 150, 175)), 5)
    # Bladder (fluid, bright) anterior-inferior, under the uterus.
    polygon(img, smooth_closed([(300, 610), (420, 560), (540, 600), (560, 700), (460, 760), (320, 730)], 8), 240, 3)
    # Uterus: intermediate myometrium, bright endometrial stripe, with an intramural mass.
    polygon(img, rotated_ellipse_pts(600, 440, 250, 165, -25, 72), 125, 4)
    shape(img, 40, lambda d: smooth_line(d, [(440, 560), (520, 520), (600, 480), (660, 455)], 22), 3)  # junctional zone
    shape(img, 230, lambda d: smooth_line(d, [(440, 560), (520, 520), (600, 480), (660, 455)], 10), 2)
    polygon(img, blob_pts(rng, 610, 330, 118, 40, 0.04), 42, 3)  # the mass: round, very low T2 signal
    ellipse(img, 585, 310, 40, 30, 58, 20)                       # a little whorled texture
    # Cervix and vagina, rectum behind.
    shape(img, 85, lambda d: smooth_line(d, [(420, 600), (470, 700), (520, 830)], 44), 4)
    shape(img, 70, lambda d: smooth_line(d, [(760, 520), (740, 660), (640, 860)], 70), 5)
    img = add_noise(img, 7, 2, mask_of(lambda d: d.polygon(body, fill=255)))
    return img.filter(ImageFilter.GaussianBlur(1.0))


def make_fibroid_case():
    rng = random.Random(97)
    save(mr_pelvis_sagittal(rng), "content/cases/uterine-fibroid-embolisation/mr-sagittal-t2.png")
    save(uterine_angiogram(random.Random(5), False), "content/cases/uterine-fibroid-embolisation/xa-before.png")
    save(uterine_angiogram(random.Random(5), True), "content/cases/uterine-fibroid-embolisation/xa-after.png")


# --------------------------------------------------------------------------------------------
# Liver MR (and ultrasound)
# --------------------------------------------------------------------------------------------


def abdomen_axial(rng, phase: str) -> Image.Image:
    """Upper abdomen, axial. phase: t2fs | arterial | portal."""
    img = blank()
    cx, cy = 600, 450
    fat = {"t2fs": 35, "arterial": 150, "portal": 150}[phase]
    liver = {"t2fs": 70, "arterial": 105, "portal": 150}[phase]
    spleen = {"t2fs": 125, "arterial": 140, "portal": 150}[phase]
    vessel = {"t2fs": 20, "arterial": 245, "portal": 215}[phase]
    muscle = {"t2fs": 55, "arterial": 80, "portal": 95}[phase]
    ellipse(img, cx, cy, 500, 330, fat, 2)                       # skin and fat
    ellipse(img, cx, cy + 10, 470, 300, muscle, 6)               # abdominal wall muscle
    ellipse(img, cx, cy + 10, 450, 282, fat, 6)                  # intra-abdominal fat
    # Liver on the image left (the patient's right), spleen and stomach on the image right.
    liver_pts = smooth_closed([(180, 330), (300, 190), (480, 160), (650, 200), (720, 300), (640, 380), (560, 470),
                               (480, 560), (360, 640), (230, 600), (160, 470)], 10)
    polygon(img, liver_pts, liver, 3)
    polygon(img, smooth_closed([(900, 300), (1010, 360), (1040, 480), (980, 580), (900, 520), (880, 400)], 8), spleen, 3)
    ellipse(img, 800, 330, 95, 70, {"t2fs": 160, "arterial": 70, "portal": 90}[phase], 4)  # stomach
    # Spine, crura, aorta, IVC, portal vein.
    ellipse(img, cx, cy + 200, 58, 52, {"t2fs": 90, "arterial": 110, "portal": 120}[phase], 2)
    ellipse(img, cx, cy + 270, 24, 20, {"t2fs": 230, "arterial": 40, "portal": 40}[phase], 2)
    ellipse(img, cx + 55, cy + 120, 30, 30, vessel, 2)          # aorta
    ellipse(img, cx - 90, cy + 90, 34, 28, {"t2fs": 20, "arterial": 120, "portal": 215}[phase], 2)  # IVC
    shape(img, {"t2fs": 20, "arterial": 140, "portal": 220}[phase],
          lambda d: smooth_line(d, [(cx - 30, cy + 20), (cx - 90, cy - 10), (cx - 140, cy - 40)], 26), 2)
    # Kidney tops posteriorly.
    for side in (-1, 1):
        ellipse(img, cx + side * 170, cy + 200, 55, 75, {"t2fs": 130, "arterial": 200, "portal": 170}[phase], 3)
    # The lesion: lobulated, in the posterior right lobe.
    lx, ly, lr = 320, 420, 82
    outline = blob_pts(rng, lx, ly, lr, 30, 0.08)
    if phase == "t2fs":
        polygon(img, outline, 240, 2)  # as bright as fluid
    elif phase == "arterial":
        polygon(img, outline, 70, 2)
        for k in range(7):  # peripheral, nodular, discontinuous enhancement
            a = 2 * math.pi * k / 7 + rng.uniform(-0.2, 0.2)
            ellipse(img, lx + lr * 0.8 * math.cos(a), ly + lr * 0.8 * math.sin(a), 14, 12, 245, 2)
    else:
        polygon(img, outline, 225, 2)  # filling in from the edge
        polygon(img, blob_pts(rng, lx + 6, ly - 4, lr * 0.38, 18, 0.2), 85, 4)
    body = mask_of(lambda d: d.ellipse((cx - 500, cy - 330, cx + 500, cy + 330), fill=255))
    img = add_noise(img, 8, 2, body)
    return img.filter(ImageFilter.GaussianBlur(0.9))


def us_liver_lesion(rng) -> Image.Image:
    img = blank(value=80)
    field = curved_field()
    # Liver parenchyma, a hepatic vein, the bright curved diaphragm, and a well-defined,
    # uniformly bright (echogenic) nodule.
    shape(img, 190, lambda d: d.arc((-300, 640, 1500, 1620), 200, 340, fill=255, width=14), 4)
    shape(img, 12, lambda d: smooth_line(d, smooth_open([(760, 250), (800, 360), (870, 470)], 6), 30), 3)
    ellipse(img, 360, 420, 34, 22, 12, 3)
    polygon(img, blob_pts(rng, 560, 420, 78, 30, 0.06), 215, 2)
    img = speckle(img, 38)
    img = img.filter(ImageFilter.GaussianBlur(0.9))
    out = blank()
    out.paste(img, (0, 0), field)
    return out


def make_haemangioma_case():
    rng = random.Random(101)
    save(us_liver_lesion(rng), "content/cases/unknown-incidental-liver-lesion/us-liver.png")
    save(abdomen_axial(random.Random(7), "t2fs"), "content/cases/unknown-incidental-liver-lesion/mr-t2-fat-sat.png")
    save(abdomen_axial(random.Random(7), "arterial"), "content/cases/unknown-incidental-liver-lesion/mr-arterial.png")
    save(abdomen_axial(random.Random(7), "portal"), "content/cases/unknown-incidental-liver-lesion/mr-portal-venous.png")


# --------------------------------------------------------------------------------------------
# Pelvis radiograph (hip fracture)
# --------------------------------------------------------------------------------------------


def pelvis_radiograph(rng) -> Image.Image:
    """AP pelvis, osteopenic bones; a displaced subcapital fracture of the left femoral neck
    (on the image right)."""
    img = blank()
    polygon(img, smooth_closed([(40, 0), (1160, 0), (1190, 400), (1150, 900), (50, 900), (10, 400)], 8), 92, 14)
    bonev, cort = 160, 188
    for side in (-1, 1):
        # Iliac wing.
        wing = smooth_closed([(600 + side * 80, 170), (600 + side * 250, 60), (600 + side * 420, 90),
                              (600 + side * 430, 200), (600 + side * 340, 360), (600 + side * 220, 420),
                              (600 + side * 100, 330)], 8)
        bone(img, wing, bonev - 25, cort, 3, 6)
        # Pubic and ischial rami around the obturator foramen, medial to and below the hip.
        ring = smooth_closed([(600 + side * 25, 600), (600 + side * 110, 540), (600 + side * 230, 560),
                              (600 + side * 255, 680), (600 + side * 180, 770), (600 + side * 50, 730)], 8)
        bone(img, ring, bonev, cort, 3, 6)
        ellipse(img, 600 + side * 145, 655, 62, 58, 92, 4)
    # Sacrum and lumbar spine.
    bone(img, smooth_closed([(520, 130), (680, 130), (660, 330), (600, 420), (540, 330)], 8), bonev - 15, cort, 3, 5)
    for k in range(2):
        shape(img, bonev, lambda d, y=k: d.rounded_rectangle((530, 10 + y * 60 - 50, 670, 10 + y * 60), radius=10, fill=255), 3)

    def femur(side, head, dy=0, dx=0):
        """Neck, trochanters and shaft; dy/dx move them relative to the head (a displaced fracture)."""
        hx, hy = head
        nx = lambda v: 600 + side * v + dx
        shaft = [(nx(320), hy + 10 + dy), (nx(395), 515 + dy), (nx(445), 500 + dy), (nx(462), 585 + dy),
                 (nx(432), 690 + dy), (nx(440), 900), (nx(350), 900), (nx(345), 720 + dy), (nx(318), 655 + dy),
                 (nx(280), hy + 72 + dy)]
        bone(img, smooth_closed(shaft, 6), bonev, cort, 3, 6)
        ellipse(img, nx(330), 680 + dy, 24, 26, bonev + 12, 3)                     # lesser trochanter
        shape(img, 118, lambda d: d.rectangle((nx(393) - 20, 730 + dy, nx(393) + 20, 900), fill=255), 14)

    femur(-1, (300, 450))
    femur(1, (900, 450), dy=-38, dx=14)   # the shaft has ridden up; the head stays in the socket
    for hx in (300, 900):
        ellipse(img, hx, 450, 88, 88, bonev + 6, 3)
        shape(img, cort, lambda d, x=hx: d.ellipse((x - 88, 362, x + 88, 538), outline=255, width=6), 2)
        # Acetabular roof over the head.
        shape(img, 200, lambda d, x=hx: d.arc((x - 110, 340, x + 110, 560), 190, 350, fill=255, width=14), 3)
    # Fracture under the left head: a dense band where fragments overlap, a lucent cleft above it.
    shape(img, 226, lambda d: d.line([(845, 520), (955, 500)], fill=255, width=14), 3)
    shape(img, 70, lambda d: d.line([(840, 503), (950, 482)], fill=255, width=6), 1.5)
    img = add_noise(img, 8, 2)
    return img.filter(ImageFilter.GaussianBlur(1.1))


def make_hip_case():
    rng = random.Random(113)
    full = pelvis_radiograph(rng)
    save(full, "content/cases/subcapital-hip-fracture/dx-pelvis-ap.png")


# --------------------------------------------------------------------------------------------
# PET/CT: lung nodule
# --------------------------------------------------------------------------------------------


def ct_lung_window(rng) -> Image.Image:
    cx, cy = 600, 450
    img = ct_body_base(rng, lungs=True, fat=165, soft=205, lung_value=38)
    # Heart and great vessels (soft tissue, bright at lung window).
    polygon(img, smooth_closed([(cx - 100, cy - 200), (cx + 100, cy - 200), (cx + 150, cy + 60), (cx + 60, cy + 140),
                                (cx - 120, cy + 110), (cx - 140, cy - 40)], 8), 205, 4)
    # Vessels seen end-on and along their length.
    v = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(v)
    for _ in range(70):
        side = rng.choice((-1, 1))
        x = cx + side * rng.uniform(150, 420)
        y = cy + rng.uniform(-190, 210)
        r = rng.uniform(3, 7)
        d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    for (x, y, a) in ((cx - 150, cy - 20, 180), (cx + 150, cy - 10, 0)):
        for k in range(4):
            vessel_tree(d, rng, x, y, a + (-45 + k * 30) * (1 if a == 0 else -1), 70, 10, 3, 255, 30, 12)
    img = ImageChops.lighter(img, v.filter(ImageFilter.GaussianBlur(1.5)).point(lambda q: q * 170 // 255))
    # The nodule: right upper lobe (image left), spiculated, with a thin strand to the pleura.
    nx, ny = 330, 310
    spiculated_mass(img, rng, nx, ny, 30, 205, 150, 14)
    shape(img, 150, lambda dd: smooth_line(dd, [(nx - 20, ny - 20), (nx - 60, ny - 60), (nx - 90, ny - 95)], 4), 1.5)
    img = add_noise(img, 9, 2, mask_of(lambda dd: dd.ellipse((80, 120, 1120, 780), fill=255)))
    return img.filter(ImageFilter.GaussianBlur(0.7))


def pet_mip(rng) -> Image.Image:
    """Coronal maximum-intensity projection, uptake bright on black."""
    img = blank()
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    cx = 600
    # Faint body outline from soft-tissue background activity.
    d.ellipse((cx - 55, 30, cx + 55, 150), fill=35)
    d.polygon([(cx - 30, 150), (cx + 30, 150), (cx + 40, 190), (cx - 40, 190)], fill=30)
    d.rounded_rectangle((cx - 170, 185, cx + 170, 700), radius=60, fill=30)
    for side in (-1, 1):
        d.rounded_rectangle((cx + side * 190 - 30, 200, cx + side * 190 + 30, 560), radius=25, fill=25)
        d.rounded_rectangle((cx + side * 80 - 55, 690, cx + side * 80 + 55, 900), radius=30, fill=28)
    # Brain, myocardium, liver, kidneys, bladder: the normal places FDG goes.
    d.ellipse((cx - 48, 40, cx + 48, 140), fill=220)
    d.ellipse((cx - 20, 300, cx + 90, 400), fill=120)
    d.polygon([(cx - 160, 420), (cx + 10, 410), (cx - 20, 520), (cx - 150, 530)], fill=80)
    for side in (-1, 1):
        d.ellipse((cx + side * 90 - 28, 470, cx + side * 90 + 28, 560), fill=150)
    d.ellipse((cx - 40, 640, cx + 40, 700), fill=250)
    # Marrow faintly along the spine.
    d.line([(cx, 190), (cx, 640)], fill=55, width=26)
    # The nodule in the right upper lung (image left): intense focal uptake.
    d.ellipse((cx - 120, 255, cx - 88, 287), fill=255)
    layer = layer.filter(ImageFilter.GaussianBlur(5))
    img = ImageChops.lighter(img, layer)
    img = add_noise(img, 8, 3, mask_of(lambda dd: dd.rectangle((380, 20, 820, 900), fill=255)))
    return img.point(lambda v: 0 if v < 12 else v).filter(ImageFilter.GaussianBlur(1))


def make_pet_case():
    rng = random.Random(127)
    save(ct_lung_window(rng), "content/cases/fdg-avid-lung-nodule/ct-lung-window.png")
    save(pet_mip(rng), "content/cases/fdg-avid-lung-nodule/pet-mip.png")


# --------------------------------------------------------------------------------------------
# People: drawn, geometric avatars (not photographs, not real people)
# --------------------------------------------------------------------------------------------


def avatar(bg, skin, hair, top, hair_style, glasses=False, beard=False) -> Image.Image:
    S = 1200  # drawn at twice the size, then scaled down for smooth edges
    img = Image.new("RGB", (S, S), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.ellipse((0, 0, S, S), fill=bg)
    cx = S // 2
    # Hair behind the head (long styles).
    if hair_style == "bob":
        d.rounded_rectangle((cx - 250, 260, cx + 250, 760), radius=200, fill=hair)
    if hair_style == "bun":
        d.ellipse((cx - 110, 120, cx + 110, 320), fill=hair)
    # Shoulders and clothes.
    d.ellipse((cx - 430, 880, cx + 430, 1500), fill=top)
    if top == (246, 248, 250):  # white coat: lapels and a shirt
        d.polygon([(cx - 120, 900), (cx + 120, 900), (cx, 1120)], fill=(60, 110, 160))
        d.polygon([(cx - 120, 900), (cx - 40, 1150), (cx - 170, 1030)], fill=(225, 230, 236))
        d.polygon([(cx + 120, 900), (cx + 40, 1150), (cx + 170, 1030)], fill=(225, 230, 236))
    else:  # scrubs: a V neck
        d.polygon([(cx - 110, 900), (cx + 110, 900), (cx, 1040)], fill=skin)
    # Neck and head.
    d.rounded_rectangle((cx - 85, 700, cx + 85, 930), radius=60, fill=skin)
    d.ellipse((cx - 200, 280, cx + 200, 800), fill=skin)
    d.ellipse((cx - 222, 520, cx - 178, 600), fill=skin)  # ears
    d.ellipse((cx + 178, 520, cx + 222, 600), fill=skin)
    # Hair on top.
    if hair_style in ("bob", "bun"):
        d.ellipse((cx - 215, 250, cx + 215, 560), fill=hair)
        # A curved hairline with a side parting: the forehead shows below it.
        d.chord((cx - 185, 380, cx + 185, 820), 180, 360, fill=skin)
        d.polygon([(cx - 40, 380), (cx + 60, 372), (cx + 190, 520), (cx + 150, 430)], fill=hair)
    else:  # short
        d.chord((cx - 208, 255, cx + 208, 560), 180, 360, fill=hair)
        d.rectangle((cx - 205, 400, cx - 175, 520), fill=hair)
        d.rectangle((cx + 175, 400, cx + 205, 520), fill=hair)
    if beard:
        d.chord((cx - 192, 560, cx + 192, 840), 0, 180, fill=hair)
    # Face: eyes, brows, a small smile.
    eye = (45, 45, 55)
    for sx in (-1, 1):
        d.ellipse((cx + sx * 80 - 16, 535, cx + sx * 80 + 16, 567), fill=eye)
        d.line([(cx + sx * 80 - 40, 495), (cx + sx * 80 + 40, 490)], fill=hair, width=12)
    d.arc((cx - 70, 590, cx + 70, 680), 25, 155, fill=(150, 70, 70), width=12)
    if glasses:
        for sx in (-1, 1):
            d.ellipse((cx + sx * 80 - 55, 500, cx + sx * 80 + 55, 600), outline=(40, 50, 70), width=10)
        d.line([(cx - 25, 545), (cx + 25, 545)], fill=(40, 50, 70), width=10)
    # Keep the round frame: white outside the circle.
    circle = Image.new("L", (S, S), 0)
    ImageDraw.Draw(circle).ellipse((0, 0, S, S), fill=255)
    out = Image.new("RGB", (S, S), (255, 255, 255))
    out.paste(img, (0, 0), circle)
    return out.resize((600, 600), Image.LANCZOS)


def make_avatars():
    coat = (246, 248, 250)
    people = {
        "elena-marsh": avatar((214, 230, 244), (241, 204, 176), (140, 70, 40), coat, "bob", glasses=True),
        "samuel-okafor": avatar((208, 236, 232), (120, 78, 50), (30, 26, 26), coat, "short", beard=True),
        "priya-raman": avatar((222, 232, 246), (190, 135, 95), (25, 22, 30), (14, 124, 116), "bun"),
    }
    for slug, im in people.items():
        path = f"static/images/people/{slug}.png"
        os.makedirs(os.path.join(ROOT, "static/images/people"), exist_ok=True)
        im.quantize(64).save(os.path.join(ROOT, path), optimize=True)
        print(f"{path}: {os.path.getsize(os.path.join(ROOT, path)) // 1024} KB", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# Brand: the default share image, and education illustrations
# --------------------------------------------------------------------------------------------


def logo_mark(d: ImageDraw.ImageDraw, x, y, size):
    """The logo mark (as in static/images/logo.svg): a ring for the scanner, a river wave."""
    s = size / 64
    d.rounded_rectangle((x, y, x + 64 * s, y + 64 * s), radius=14 * s, fill=BRAND_PRIMARY)
    d.ellipse((x + 14 * s, y + 12 * s, x + 50 * s, y + 48 * s), outline=(255, 255, 255), width=int(6 * s))
    wave = [(x + (8 + k) * s, y + (48 + 4 * math.sin((k / 48) * 2 * math.pi)) * s) for k in range(0, 49, 2)]
    d.line(wave, fill=BRAND_ACCENT, width=int(7 * s), joint="curve")
    d.line([(p[0], p[1]) for p in wave], fill=(125, 211, 200), width=int(3 * s), joint="curve")
    d.ellipse((x + 28 * s, y + 26 * s, x + 36 * s, y + 34 * s), fill=(255, 255, 255))


def make_share_image():
    w, h = 1200, 630
    img = Image.new("RGB", (w, h), BRAND_PRIMARY)
    d = ImageDraw.Draw(img)
    # A soft diagonal gradient and a teal band.
    for yy in range(h):
        t = yy / h
        d.line([(0, yy), (w, yy)], fill=(int(11 * (1 - t) + 6 * t), int(79 * (1 - t) + 48 * t), int(138 * (1 - t) + 92 * t)))
    d.rectangle((0, h - 36, w, h), fill=BRAND_ACCENT)
    # Faint concentric rings on the right, like a scanner bore.
    for r in range(120, 520, 70):
        d.ellipse((w - 180 - r, 300 - r, w - 180 + r, 300 + r), outline=(40, 110, 165), width=6)
    logo_mark(d, 90, 170, 150)
    d.text((280, 175), "Riverside Radiology", font=font(72, True), fill=(255, 255, 255))
    d.text((282, 270), "Riverside General Hospital", font=font(36), fill=(200, 225, 245))
    d.text((90, 420), "Teaching cases · Patient guides · Our radiologists", font=font(34), fill=(255, 255, 255))
    d.text((90, 480), "radiology.example.org", font=font(28), fill=(160, 215, 208))
    path = os.path.join(ROOT, "static/images/default-share.png")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.quantize(128).save(path, optimize=True)
    print(f"static/images/default-share.png: {os.path.getsize(path) // 1024} KB", file=sys.stderr)


def illustration(kind: str) -> Image.Image:
    """Flat drawings of the equipment, for the patient guides (light background)."""
    w, h = 1200, 675
    img = Image.new("RGB", (w, h), (236, 243, 249))
    d = ImageDraw.Draw(img)
    floor = (205, 219, 232)
    d.rectangle((0, 520, w, h), fill=floor)
    table = (120, 140, 160)
    pad = (70, 120, 180)
    if kind == "ct":
        # A short, wide ring (gantry) and a table sliding through it.
        d.rounded_rectangle((300, 430, 1000, 470), radius=16, fill=pad)
        d.rectangle((360, 470, 420, 560), fill=table)
        d.ellipse((560, 90, 960, 560), fill=(250, 252, 255), outline=(170, 185, 200), width=6)
        d.ellipse((680, 230, 840, 420), fill=(236, 243, 249), outline=(170, 185, 200), width=6)
        d.rectangle((600, 540, 920, 575), fill=(225, 232, 240))
        d.rounded_rectangle((720, 440, 1100, 475), radius=16, fill=pad)
        d.arc((590, 120, 930, 530), 200, 340, fill=BRAND_ACCENT, width=14)
    elif kind == "mri":
        # A deeper tunnel (bore) with the table going in.
        d.rounded_rectangle((500, 110, 1020, 560), radius=60, fill=(250, 252, 255), outline=(170, 185, 200), width=6)
        d.ellipse((620, 220, 820, 440), fill=(214, 226, 238), outline=(170, 185, 200), width=6)
        d.rounded_rectangle((180, 410, 760, 450), radius=16, fill=pad)
        d.rectangle((240, 450, 300, 560), fill=table)
        d.rectangle((520, 130, 1000, 160), fill=BRAND_PRIMARY)
        d.rectangle((520, 510, 1000, 540), fill=BRAND_ACCENT)
    elif kind == "ultrasound":
        # A probe and its cable, with a fan-shaped picture on a screen.
        d.rounded_rectangle((640, 90, 1080, 420), radius=20, fill=(40, 48, 60))
        d.pieslice((660, -40, 1060, 400), 60, 120, fill=(120, 128, 140))
        d.rectangle((820, 420, 900, 560), fill=(160, 170, 185))
        d.rounded_rectangle((250, 250, 380, 470), radius=40, fill=(250, 252, 255), outline=(150, 165, 180), width=6)
        d.rectangle((270, 440, 360, 480), fill=BRAND_ACCENT)
        d.line([(315, 250), (330, 150), (500, 120), (640, 200)], fill=(90, 100, 115), width=10, joint="curve")
    elif kind == "mammogram":
        # An upright machine with two flat plates.
        d.rectangle((560, 40, 660, 560), fill=(225, 232, 240), outline=(170, 185, 200), width=4)
        d.rounded_rectangle((470, 90, 760, 190), radius=20, fill=(250, 252, 255), outline=(170, 185, 200), width=5)
        d.rounded_rectangle((440, 300, 800, 330), radius=10, fill=(200, 220, 240), outline=(150, 170, 190), width=4)
        d.rounded_rectangle((440, 380, 800, 420), radius=10, fill=pad)
        d.rectangle((600, 420, 620, 560), fill=table)
        d.rectangle((440, 334, 800, 376), fill=BRAND_ACCENT)
    return img


def make_illustrations():
    for kind in ("ct", "mri", "ultrasound", "mammogram"):
        path = f"static/images/education/{kind}.png"
        os.makedirs(os.path.join(ROOT, "static/images/education"), exist_ok=True)
        illustration(kind).quantize(32).save(os.path.join(ROOT, path), optimize=True)
        print(f"{path}: {os.path.getsize(os.path.join(ROOT, path)) // 1024} KB", file=sys.stderr)


def main():
    make_infarct_case()
    make_meningioma_case()
    make_appendicitis_case()
    make_pneumothorax_case()
    make_breast_case()
    make_scaphoid_case()
    make_pe_case()
    make_bone_scan_case()
    make_fibroid_case()
    make_haemangioma_case()
    make_hip_case()
    make_pet_case()
    make_avatars()
    make_share_image()
    make_illustrations()


if __name__ == "__main__":
    main()
