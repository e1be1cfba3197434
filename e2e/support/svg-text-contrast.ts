/**
 * Contrast of SVG text (chart tick labels, legends), which axe-core's color-contrast rule does not measure. For each
 * visible <text> under `scope`, the page composites the backgrounds of its HTML ancestors (outermost first, alpha
 * included) and the text's fill on a 1×1 canvas, which turns any CSS colour (Tailwind 4's oklch too) into sRGB, and
 * the test computes the WCAG 2.x contrast ratio from relative luminance.
 */
import { expect, type Locator } from "@playwright/test";

type Rgb = [number, number, number];

/** WCAG 2.x relative luminance of an sRGB colour (0–255 channels). */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2.x contrast ratio, 1–21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Fails when any visible SVG text under `scope` has less than `minimum` contrast (4.5:1, AA for normal text). */
export async function expectSvgTextContrast(scope: Locator, label: string, minimum = 4.5): Promise<void> {
  const samples = await scope.evaluateAll((roots) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    const paint = (colors: string[]): [number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#ffffff"; // the canvas' own backdrop; the page's opaque body background covers it
      ctx.fillRect(0, 0, 1, 1);
      for (const color of colors) {
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, 1, 1);
      }
      const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
      return [r, g, b];
    };
    const out: { text: string; fg: [number, number, number]; bg: [number, number, number] }[] = [];
    for (const root of roots) {
      for (const text of root.querySelectorAll("svg text")) {
        const box = text.getBoundingClientRect();
        if (box.width === 0 || !text.textContent?.trim()) continue;
        const layers: string[] = [];
        for (let el: Element | null = text.closest("svg")!.parentElement; el; el = el.parentElement) {
          layers.unshift(getComputedStyle(el).backgroundColor);
        }
        const bg = paint(layers);
        const fill = getComputedStyle(text).fill;
        const fg = paint([...layers, fill]);
        out.push({ text: text.textContent.trim(), fg, bg });
      }
    }
    return out;
  });
  expect(samples.length, `${label}: no SVG text found`).toBeGreaterThan(0);
  const low = samples
    .map((s) => ({ ...s, ratio: contrastRatio(s.fg, s.bg) }))
    .filter((s) => s.ratio < minimum)
    .map((s) => `"${s.text}" rgb(${s.fg.join(",")}) on rgb(${s.bg.join(",")}): ${s.ratio.toFixed(2)}:1`);
  expect(low, `${label}: SVG text under ${minimum}:1`).toEqual([]);
}
