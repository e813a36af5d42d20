import type { OomMark } from '../model/oomMark.js';
import { escapeText } from './escapeText.js';

/** One line for stderr: "OOM kill in /a/b: PID 123 (memscript)", "3 OOM kills: 2 in /a: PID 1 (x), PID 2 (y); 1 outside the cgroups read: victim not known". */
export function describeOomMark(mark: OomMark): string {
  const total = mark.kills.reduce((sum, kill) => sum + kill.count, 0);
  const parts = mark.kills.map((kill) => {
    const where = kill.cgroup === undefined ? 'outside the cgroups read' : `in ${escapeText(kill.cgroup)}`;
    const victims = kill.victims.map((victim) => `PID ${victim.pid}${victim.name === undefined ? '' : ` (${escapeText(victim.name)})`}`);
    const who = victims.length > 0 ? victims.join(', ') : 'victim not known';
    return { where, who, count: kill.count };
  });
  const heading = total === 1 ? 'OOM kill' : `${total} OOM kills`;
  if (parts.length === 1) return `${heading} ${parts[0].where}: ${parts[0].who}`;
  return `${heading}: ${parts.map((part) => `${part.count} ${part.where}: ${part.who}`).join('; ')}`;
}
