/**
 * IBM codepage 437, which SIE calls "PC8". Bytes below 0x80 are ASCII: SIE files are text, so the CP437 glyphs that
 * the IBM PC drew for control codes do not apply. The upper half, indexed by byte − 0x80:
 */
const UPPER_HALF =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐" +
  "└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

const DECODE = new Uint16Array(256);
const ENCODE = new Map<number, number>();
for (let byte = 0; byte < 256; byte++) {
  const code = byte < 0x80 ? byte : UPPER_HALF.charCodeAt(byte - 0x80);
  DECODE[byte] = code;
  ENCODE.set(code, byte);
}

/** The characters a PC8 file can hold, for tests and generators that need text that survives a round trip. */
export const CP437_UPPER_HALF = UPPER_HALF;

// String.fromCharCode takes its arguments on the stack, so big files are turned into text a slice at a time.
const CHUNK = 0x4000;

export function decodeCp437(bytes: Uint8Array): string {
  const parts: string[] = [];
  const codes = new Uint16Array(Math.min(CHUNK, bytes.length));
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    for (let i = start; i < end; i++) codes[i - start] = DECODE[bytes[i]!]!;
    parts.push(String.fromCharCode.apply(null, codes.subarray(0, end - start) as unknown as number[]));
  }
  return parts.join("");
}

/** Throws on a character that PC8 cannot hold: callers write their own data, so that is a programming error. */
export function encodeCp437(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes[i] = code;
      continue;
    }
    const byte = ENCODE.get(code);
    if (byte === undefined) {
      throw new RangeError(
        `Tecknet "${text[i]}" (U+${code.toString(16).toUpperCase().padStart(4, "0")}) finns inte i PC8.`,
      );
    }
    bytes[i] = byte;
  }
  return bytes;
}
