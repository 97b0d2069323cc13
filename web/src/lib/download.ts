// Saves what the browser holds (a server's file read with fetch, or a CSV built here) as a file:
// an object URL clicked through a temporary link, released right after. Works under the console's
// Content-Security-Policy (no inline script, no data: navigation).
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The file name of a Content-Disposition header (filename*=UTF-8'' first, then filename=), or
// `fallback`.
export function fileNameOf(contentDisposition: string | null, fallback: string): string {
  if (!contentDisposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(contentDisposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Badly encoded: try the plain name.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(contentDisposition);
  const name = (plain?.[2] ?? plain?.[1] ?? '').trim();
  // A name with a path in it is not taken as it is.
  return name && !/[\\/]/.test(name) ? name : fallback;
}
