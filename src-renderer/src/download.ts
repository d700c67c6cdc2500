// Saves text as a file through the browser's download machinery (a Blob behind an <a download>),
// which works the same in Chromium and in Electron's renderer.
export function saveTextFile(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy by the next task; give slow machines a margin anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
