/**
 * The hand-off link as a QR code, computed by the proxy (uqr: zero dependencies, MIT, unjs) so the
 * element carries no QR encoder: it draws the answer's path in an inline <svg>. Error correction M
 * (15 %) survives a glossy screen; the 4-module quiet zone is the standard's.
 */
import { encode } from 'uqr';

export interface QrPath {
  /** Modules a side, quiet zone included. */
  size: number;
  /** The dark modules as one SVG path in module units (`M x y h n v 1 h -n z` per run). */
  path: string;
}

export function qrPath(text: string): QrPath {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  let path = '';
  data.forEach((row, y) => {
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      let end = x;
      while (end + 1 < size && row[end + 1]) end++;
      path += `M${x} ${y}h${end - x + 1}v1h-${end - x + 1}z`;
      x = end;
    }
  });
  return { size, path };
}
