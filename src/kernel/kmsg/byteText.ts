/**
 * Names the kernel hands over as bytes, kept as text without losing any: a
 * cgroup's directory name and a process's comm can hold any byte but '/' and
 * NUL (a cgroup; nor newline) or any byte at all (a comm), valid UTF-8 or not.
 * The text is the bytes decoded as UTF-8 where they are valid UTF-8, and
 * `\xNN` for each byte that is not part of a valid sequence, so that no byte
 * is lost to U+FFFD. A backslash stays as it is: systemd writes its escapes
 * into unit names ("dev-disk-by\x2duuid-….swap"), and a valid name's text is
 * then exactly what every other reader of the hierarchy decodes (the cgroups
 * view's rows). The price: a name spelling "\xff" and one holding the byte
 * 0xff give the same text (only a hostile tree would hold both). Byte by
 * byte: the text of "a/b" is the text of "a", "/", the text of "b", so a
 * path's text is its names' texts joined. Control characters (a newline in a
 * comm) stay as they are: a renderer escapes them.
 */
export function bytesToText(bytes: Uint8Array): string {
  let ascii = true;
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  let text = '';
  for (let index = 0; index < bytes.length;) {
    const length = validSequenceAt(bytes, index);
    if (length === 0) {
      text += `\\x${bytes[index].toString(16).padStart(2, '0')}`;
      index++;
    } else {
      text += Buffer.from(bytes.buffer, bytes.byteOffset + index, length).toString('utf8');
      index += length;
    }
  }
  return text;
}

/**
 * /dev/kmsg's escaping undone: the kernel writes each byte of a message below
 * 0x20, from 0x7f, and the backslash as `\xNN` (msg_add_ext_text in
 * kernel/printk/printk.c), so a newline in a process's name stays in one
 * record. undefined where a backslash starts no such escape, or a byte the
 * kernel would have escaped stands raw: not the kernel's.
 */
export function unescapeKmsg(escaped: string): Buffer | undefined {
  const bytes = Buffer.allocUnsafe(escaped.length);
  let length = 0;
  for (let index = 0; index < escaped.length; index++) {
    const code = escaped.charCodeAt(index);
    // Printable ASCII stands for itself; the kernel writes any other byte escaped.
    if (code !== 0x5c) {
      if (code < 0x20 || code > 0x7e) return undefined;
      bytes[length++] = code;
      continue;
    }
    const hex = escaped.slice(index + 1, index + 4);
    if (!/^x[0-9a-f]{2}$/.test(hex)) return undefined;
    bytes[length++] = parseInt(hex.slice(1), 16);
    index += 3;
  }
  return bytes.subarray(0, length);
}

/** The length of the valid UTF-8 sequence starting at `index` (1-4), or 0: no overlong forms, no surrogates, nothing past U+10FFFF. */
function validSequenceAt(bytes: Uint8Array, index: number): number {
  const lead = bytes[index];
  if (lead < 0x80) return 1;
  const continuation = (at: number, low = 0x80, high = 0xbf) => at < bytes.length && bytes[at] >= low && bytes[at] <= high;
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(index + 1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return continuation(index + 1, low, high) && continuation(index + 2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return continuation(index + 1, low, high) && continuation(index + 2) && continuation(index + 3) ? 4 : 0;
  }
  return 0;
}
