/** What the self-contained pages (history --html, run --html) share: escaping, a round axis top, the page around the chart. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A round axis top in the unit the figures are read in (KiB, MiB, GiB), so that the ticks are round too. */
export function niceTop(bytes: number): number {
  if (bytes <= 0) return 1024;
  const unitSize = 1024 ** Math.min(3, Math.floor(Math.log(bytes) / Math.log(1024)));
  const value = bytes / unitSize;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power * unitSize;
  return 10 * power * unitSize;
}

/**
 * A page that needs nothing but itself: inline CSS and SVG, no script, no
 * fonts or images from elsewhere (the CSP forbids any fetch).
 */
export function renderHtmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.meta { color: #555; margin: 0 0 16px; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg .axis-title { font-size: 13px; font-weight: 600; }
svg .grid { stroke: #e3e3e3; }
svg .tick { stroke: #888; }
table { border-collapse: collapse; margin-top: 20px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ccc; padding: 3px 8px; }
td { text-align: right; }
td.text { text-align: left; }
h2 { font-size: 16px; margin: 20px 0 0; }
thead th { background: #eee; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
