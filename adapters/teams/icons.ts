import { PNG } from 'pngjs';

/** Teams' sizes: the colour icon is 192×192, the outline icon 32×32 (manifest schema, icons). */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

type Shape = (x: number, y: number) => boolean;

const inRoundedRect =
  (left: number, top: number, right: number, bottom: number, radius: number): Shape =>
  (x, y) => {
    if (x < left || x > right || y < top || y > bottom) return false;
    const dx = Math.max(left + radius - x, 0, x - (right - radius));
    const dy = Math.max(top + radius - y, 0, y - (bottom - radius));
    return dx * dx + dy * dy <= radius * radius;
  };

const inTriangle =
  (a: [number, number], b: [number, number], c: [number, number]): Shape =>
  (x, y) => {
    const side = (p: [number, number], q: [number, number]) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
    const [s1, s2, s3] = [side(a, b), side(b, c), side(c, a)];
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };

// A speech bubble with an upward arrow cut out of it: "chat about your next step". Drawn from
// shapes in a unit square so both sizes come from one drawing, with no image file to keep.
const bubble = inRoundedRect(0.16, 0.18, 0.84, 0.68, 0.12);
const tail = inTriangle([0.3, 0.6], [0.3, 0.84], [0.5, 0.6]);
const arrowHead = inTriangle([0.5, 0.26], [0.35, 0.42], [0.65, 0.42]);
const arrowStem = inRoundedRect(0.455, 0.4, 0.545, 0.6, 0.01);
const glyph: Shape = (x, y) => (bubble(x, y) || tail(x, y)) && !arrowHead(x, y) && !arrowStem(x, y);

const SUBSAMPLES = 4;

/** The share of a pixel the glyph covers, from a 4×4 grid of samples: smooth edges at 32 px. */
function coverage(size: number, px: number, py: number): number {
  let inside = 0;
  for (let i = 0; i < SUBSAMPLES; i += 1) {
    for (let j = 0; j < SUBSAMPLES; j += 1) {
      if (glyph((px + (i + 0.5) / SUBSAMPLES) / size, (py + (j + 0.5) / SUBSAMPLES) / size)) inside += 1;
    }
  }
  return inside / (SUBSAMPLES * SUBSAMPLES);
}

function draw(size: number, paint: (cover: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const offset = (y * size + x) * 4;
      const [r, g, b, a] = paint(coverage(size, x, y));
      png.data[offset] = r;
      png.data[offset + 1] = g;
      png.data[offset + 2] = b;
      png.data[offset + 3] = a;
    }
  }
  return PNG.sync.write(png);
}

function hexToRgb(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`icons: accent colour ${hex} is not #rrggbb`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
}

/** The full-colour icon: the white glyph on the accent colour, edge to edge, as Teams asks. */
export function colorIcon(accentColor: string): Buffer {
  const accent = hexToRgb(accentColor);
  const mix = (channel: number, cover: number) => Math.round(channel + (255 - channel) * cover);
  return draw(COLOR_ICON_SIZE, (cover) => [mix(accent[0], cover), mix(accent[1], cover), mix(accent[2], cover), 255]);
}

/** The outline icon: white only, on transparent; edges fade through alpha, never through grey. */
export function outlineIcon(): Buffer {
  return draw(OUTLINE_ICON_SIZE, (cover) => [255, 255, 255, Math.round(cover * 255)]);
}
