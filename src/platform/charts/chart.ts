import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * Charts drawn on the server: a vega-lite spec compiled to vega and rendered to an SVG string, so that pages need no
 * script and the chart is in the HTML that axe and screen readers see. Each chart is one image with a text
 * alternative (role="img", aria-label and <title>); the numbers themselves are in the data table the page shows
 * beside it.
 */

/**
 * Series colours, each at least 4.5:1 against the white background (WCAG 1.4.11 asks 3:1 for graphics) and told
 * apart by lightness as well as hue.
 */
export const chartColours = ["#1d4f91", "#b34700", "#4d4d4d", "#6a3d9a", "#1b6e3a"];

const TEXT_COLOUR = "#1a1a1a";

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The SVG of a vega-lite spec, labelled as one image. */
export async function renderChart(spec: TopLevelSpec, label: string): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const title = escapeXml(label);
  // Vega marks its groups for assistive technology even with aria off; inside one image they are noise.
  const quiet = svg.replace(/ (?:role|aria-[a-z]+)="[^"]*"/g, "");
  return quiet.replace(/^<svg /, `<svg role="img" aria-label="${title}" `).replace(/>/, `><title>${title}</title>`);
}

export type BarDatum = { category: string; series: string; value: number };

/**
 * Horizontal bars per category, one bar per series side by side: category labels (avslutsorsak, åldersgrupp) stay
 * readable however long they are. Categories and series keep the order given.
 */
export function barChart(options: {
  label: string;
  data: BarDatum[];
  categories: string[];
  series: string[];
  valueTitle: string;
}): Promise<string> {
  const rows = Math.max(1, options.categories.length) * Math.max(1, options.series.length);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 360,
    height: Math.max(60, rows * 14),
    background: "#ffffff",
    data: { values: options.data },
    mark: { type: "bar" },
    encoding: {
      y: { field: "category", type: "nominal", sort: options.categories, title: null },
      yOffset: { field: "series", type: "nominal", sort: options.series },
      x: { field: "value", type: "quantitative", title: options.valueTitle, axis: { tickMinStep: 1, format: "d" } },
      color: {
        field: "series",
        type: "nominal",
        sort: options.series,
        scale: { domain: options.series, range: chartColours.slice(0, options.series.length) },
        legend: options.series.length > 1 ? { title: null, orient: "bottom" } : null,
      },
    },
    config: {
      // The SVG is one image to assistive technology: vega's own per-mark ARIA would nest roles inside it.
      aria: false,
      font: "sans-serif",
      axis: { labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR, labelFontSize: 12, titleFontSize: 12 },
      legend: { labelColor: TEXT_COLOUR, labelFontSize: 12 },
      view: { stroke: null },
    },
  };
  return renderChart(spec, options.label);
}
