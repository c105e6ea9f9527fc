/** One target of issue 9, measured: value against its limit. */
export interface Target {
  section: string;
  what: string;
  value: number;
  comparison: '<=' | '>=';
  limit: number;
  unit: string;
  pass: boolean;
}

export function target(
  section: string,
  what: string,
  value: number,
  comparison: Target['comparison'],
  limit: number,
  unit: string,
): Target {
  const pass = comparison === '<=' ? value <= limit : value >= limit;
  return { section, what, value, comparison, limit, unit, pass };
}

export type Cell = string | number;

export interface Table {
  title: string;
  header: string[];
  rows: Cell[][];
  notes?: string[];
}

/** What one bench section hands back: its tables for the console, its figures and targets for results.json. */
export interface SectionResult<F = unknown> {
  name: string;
  figures: F;
  targets: Target[];
  tables: Table[];
}

export const verdict = (pass: boolean): string => (pass ? 'ok' : 'MISSED');

function cellText(cell: Cell): string {
  return typeof cell === 'number' ? cell.toLocaleString('en-US', { maximumFractionDigits: 2 }) : cell;
}

/** A plain-text table: numbers right-aligned, text left-aligned. */
export function renderTable(table: Table): string {
  const texts = table.rows.map((row) => row.map(cellText));
  const widths = table.header.map((h, i) => Math.max(h.length, ...texts.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[], numeric: boolean[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const numericColumns = table.header.map((_, i) => table.rows.every((row) => typeof row[i] === 'number'));
  return [
    table.title,
    line(table.header, numericColumns),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...texts.map((row) => line(row, numericColumns)),
    ...(table.notes ?? []).map((note) => `  ${note}`),
  ].join('\n');
}

export function renderTargets(targets: readonly Target[]): string {
  return renderTable({
    title: 'Targets',
    header: ['section', 'target', 'value', 'limit', 'result'],
    rows: targets.map((t) => [
      t.section,
      t.what,
      `${cellText(t.value)} ${t.unit}`,
      `${t.comparison} ${cellText(t.limit)} ${t.unit}`,
      verdict(t.pass),
    ]),
  });
}
