#!/usr/bin/env python3
"""Draws the example site's illustration of a road over hills towards a rising sun.

The picture is made here, pixel by pixel (flat colours, so the PNG stays small), so the example
site has a raster image of its own for pamphlet to resize. Usage:

    python3 scripts/draw_road_illustration.py content/blog/2018-02-01-taking-the-concordat-on-the-road/road.png
"""
import math
import struct
import sys
import zlib

WIDTH, HEIGHT = 1280, 720
SKY_TOP, SKY_LOW = (29, 79, 145), (250, 200, 140)
SUN = (255, 214, 90)
HILLS = [(0.62, (74, 140, 92)), (0.72, (47, 115, 78)), (0.84, (25, 88, 62))]
ROAD = (230, 225, 214)


def hill_height(x, n):
    """Where hill `n` meets the sky at column x, as a fraction of the height."""
    base, _ = HILLS[n]
    return base + 0.05 * math.sin(x / WIDTH * math.pi * (2 + n) + n) - 0.03 * math.cos(x / 170 + n)


def colour(x, y):
    fy = y / HEIGHT
    for n in reversed(range(len(HILLS))):
        if fy >= hill_height(x, n):
            # The road narrows from the foot of the picture to the sun on the horizon.
            centre = WIDTH * (0.5 + 0.18 * math.sin((1 - fy) * 9))
            half = 8 + 260 * max(0.0, (fy - HILLS[0][0]) / (1 - HILLS[0][0])) ** 1.6
            if n == len(HILLS) - 1 and abs(x - centre) < half:
                return ROAD
            return HILLS[n][1]
    if math.hypot(x - WIDTH * 0.5, y - HEIGHT * 0.6) < HEIGHT * 0.14:
        return SUN
    band = min(1.0, round(fy / 0.62 * 8) / 8)
    return tuple(round(a + (b - a) * band) for a, b in zip(SKY_TOP, SKY_LOW))


def png(rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + bytes(v for px in row for v in px) for row in rows)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    rows = [[colour(x, y) for x in range(WIDTH)] for y in range(HEIGHT)]
    with open(sys.argv[1], "wb") as out:
        out.write(png(rows))
