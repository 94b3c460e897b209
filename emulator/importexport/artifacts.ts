/**
 * Tiny, valid PDF documents for the URLs the emulator hands out (ArtifactList, ShippingLabelURL): one page of
 * Helvetica text. Hand-built because a PDF needs only a handful of objects and an exact cross-reference table.
 */

function pdfString(text: string): string {
  // PDF literal strings: escape the delimiters; keep to printable ASCII (the standard fonts have no Unicode map).
  return `(${text.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1")})`;
}

/** A one-page PDF showing `title` and `lines`. */
export function renderPdf(title: string, lines: readonly string[]): Buffer {
  const text = [`BT /F1 18 Tf 72 740 Td ${pdfString(title)} Tj ET`];
  lines.slice(0, 40).forEach((line, i) => text.push(`BT /F1 11 Tf 72 ${710 - i * 16} Td ${pdfString(line)} Tj ET`));
  const content = text.join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
