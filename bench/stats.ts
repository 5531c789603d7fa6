/** Median and spread of repeated measurements. */
export interface Stat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function stat(values: readonly number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export function formatStat(value: Stat, digits = 0, unit = ''): string {
  const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return value.min === value.max ? `${f(value.median)}${unit}` : `${f(value.median)}${unit} (${f(value.min)}–${f(value.max)})`;
}

/** A horizontal bar chart as a standalone SVG document. */
export function barChart(title: string, unit: string, bars: ReadonlyArray<{ label: string; value: number; group?: string }>): string {
  const width = 760;
  const labelWidth = 300;
  const barHeight = 20;
  const gap = 6;
  const top = 40;
  const max = Math.max(...bars.map((bar) => bar.value), 1);
  const colors = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2'];
  const groups = [...new Set(bars.map((bar) => bar.group ?? ''))];
  const height = top + bars.length * (barHeight + gap) + 20;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = bars.map((bar, i) => {
    const y = top + i * (barHeight + gap);
    const length = ((width - labelWidth - 110) * bar.value) / max;
    const color = colors[groups.indexOf(bar.group ?? '') % colors.length];
    return (
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${color}"/>` +
      `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 15}">${bar.value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${escape(unit)}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>${rows.join('')}</svg>\n`
  );
}
