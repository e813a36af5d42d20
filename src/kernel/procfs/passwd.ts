/** Maps UIDs to user names from /etc/passwd text. Malformed lines are passed over. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 3 || line.startsWith('#')) continue;
    const uid = Number(fields[2]);
    if (Number.isInteger(uid) && !users.has(uid)) users.set(uid, fields[0]);
  }
  return users;
}
