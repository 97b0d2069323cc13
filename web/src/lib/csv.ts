// CSV for downloads that the browser builds itself (RFC 4180: comma separated, CRLF line ends,
// fields with a comma, quote or line break quoted, quotes doubled). A UTF-8 byte order mark goes
// first so spreadsheet programs read the Chinese texts right.
export const CSV_BOM = '\uFEFF';

function field(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// One CSV line of `values`, with its CRLF.
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(field).join(',')}\r\n`;
}

// A whole CSV document: the header line, then one line per row (cells read by `cells`).
export function toCsv<R>(header: readonly string[], rows: readonly R[], cells: (row: R) => readonly unknown[]): string {
  return CSV_BOM + csvLine(header) + rows.map((row) => csvLine(cells(row))).join('');
}
