import { XMLValidator } from 'fast-xml-parser';
import { BarPanel, escapeXml, renderBarChart } from './svg-chart';

const arms = ['embedded', 'baseline-http', 'distributed'];
const panels: BarPanel[] = [
  {
    title: 'hot: decided checkouts/s',
    unit: '/s',
    bars: [
      { label: 'embedded', value: 2400 },
      { label: 'baseline-http', value: 1800 },
      { label: 'distributed', value: undefined },
    ],
  },
  {
    title: 'hot: p99 accept → terminal <10 ms & "quotes"',
    unit: 'ms',
    bars: [
      { label: 'embedded', value: 8.5 },
      { label: 'baseline-http', value: 3.2 },
      { label: 'distributed', value: 41 },
    ],
  },
];

describe('renderBarChart', () => {
  const svg = renderBarChart('Stockade bench <2026-12-01>', 'machine & commit', panels, {
    columns: 2,
    colourOrder: arms,
  });

  it('given panels with titles that need escaping, when rendered, then the SVG is well-formed XML', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  });

  it('given three arms per panel, when rendered, then each panel has exactly one bar per arm', () => {
    const panelsInSvg = svg.split('<g class="panel">').slice(1);
    expect(panelsInSvg).toHaveLength(2);
    for (const panel of panelsInSvg) {
      const bars = [...panel.matchAll(/<rect class="bar" data-arm="([^"]+)"/g)].map((match) => match[1]);
      expect(bars).toEqual(arms);
    }
  });

  it('given a missing value, when rendered, then its bar is empty and marked n/a', () => {
    expect(svg).toMatch(/data-arm="distributed" x="[\d.]+" y="[\d.]+" width="0.0"/);
    expect(svg).toContain('>n/a</text>');
  });

  it('given the largest value, when rendered, then its bar is the longest', () => {
    const widths = [...svg.split('<g class="panel">')[1]!.matchAll(/width="([\d.]+)" height/g)].map((match) =>
      Number(match[1]),
    );
    expect(widths[0]).toBeGreaterThan(widths[1]!);
  });

  it('given the XML special characters, when escaped, then none is left raw', () => {
    expect(escapeXml(`<a & "b" 'c'>`)).toBe('&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;');
  });

  it('given broken markup, when validated the same way, then the validator would catch it (the check can fail)', () => {
    expect(XMLValidator.validate(svg.replace('</svg>', ''))).not.toBe(true);
  });
});
